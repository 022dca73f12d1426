using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NirsSync.Data.Accounts;

namespace NirsSync.Data;

/// <summary>The database, Identity stores and account services; shared by the server and the CLI's admin commands.</summary>
public static class DataServices
{
    /// <summary>The assembly holding the PostgreSQL migrations (the SQLite ones live in this assembly).</summary>
    public const string PostgresMigrationsAssembly = "NirsSync.Data.Postgres";

    /// <summary>
    /// The advisory-lock key every node takes while it migrates, so that one node at a time applies migrations
    /// (and installs Hangfire's schema). Any fixed 64-bit number; "NirsSync" in ASCII.
    /// </summary>
    public const long MigrationLockKey = 0x4E69727353796E63;

    public static IServiceCollection AddNirsData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NirsOptions>().Bind(configuration.GetSection(NirsOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WriteGate>();
        // Pooled: a context's services and options are built once, not for every request and job.
        services.AddDbContextPool<NirsDbContext>((sp, b) => Configure(b, sp.GetRequiredService<IOptions<NirsOptions>>().Value));
        services.AddIdentityCore<CoachUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                // No hard lockout: five wrong passwords from anyone would lock a coach out, and the lockout
                // answer would tell that the account exists. The server's rate limiter (per address and per
                // address+account) bounds guessing instead (docs/security.md).
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddEntityFrameworkStores<NirsDbContext>();
        services.AddScoped<AccountService>();
        services.AddNirsKeyRing();
        services.AddScoped<GarminLinks>();
        return services;
    }

    /// <summary>Points the context at the configured provider.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, NirsOptions options)
    {
        if (DatabaseProviders.Check(options) is { } problem) throw new DatabaseConfigurationException(problem);
        if (options.IsPostgres)
            return builder.UseNpgsql(ForContext(options.Postgres!), o => o.MigrationsAssembly(PostgresMigrationsAssembly));
        return builder.UseSqlite(options.ConnectionString).AddInterceptors(new SqlitePragmas(options.SynchronousFull, autoCheckpoint: !options.CheckpointsInBackground));
    }

    /// <summary>
    /// The data context's connection string: the configured one, with two defaults where it does not set them. The
    /// context keeps no session state (no temporary tables, session settings or session locks), so a pooled
    /// connection need not be reset with a round trip each time it goes back to the pool (<c>No Reset On Close</c>:
    /// a profile of the upload bench counted twelve <c>DISCARD ALL</c> per ride); and its few, repeated statements
    /// are prepared once per connection (<c>Max Auto Prepare</c>) instead of parsed and planned on every call.
    /// </summary>
    public static string ForContext(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("noresetonclose")) builder.NoResetOnClose = true;
        if (!given.Contains("maxautoprepare")) builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Applies the migrations of the configured provider: SQLite creates the data folder first; PostgreSQL
    /// takes <see cref="MigrationLockKey"/> as a session advisory lock so that nodes starting together migrate
    /// one after the other, and runs <paramref name="alsoUnderLock"/> (Hangfire's schema) under the same lock.
    /// A database that cannot be reached or refuses the credentials gives a
    /// <see cref="DatabaseUnavailableException"/> with one readable sentence.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default,
        Func<NpgsqlConnection, CancellationToken, Task>? alsoUnderLock = null)
    {
        var options = services.GetRequiredService<IOptions<NirsOptions>>().Value;
        if (DatabaseProviders.Check(options) is { } problem) throw new DatabaseConfigurationException(problem);
        if (options.IsPostgres)
        {
            try { _ = new NpgsqlConnectionStringBuilder(options.Postgres); }
            catch (ArgumentException e)
            {
                throw new DatabaseConfigurationException($"NirsSync:Postgres is not a valid Npgsql connection string: {e.Message}");
            }
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        if (!options.IsPostgres)
        {
            // Owner-only folder before SQLite creates anything, owner-only database file after (docs/security.md).
            DataFolder.EnsureFolder(Path.GetDirectoryName(options.DatabasePath)!);
            await db.Database.MigrateAsync(cancellationToken);
            DataFolder.TightenDatabaseFiles(options.DatabasePath);
            return;
        }
        try
        {
            await using var connection = new NpgsqlConnection(options.Postgres);
            await connection.OpenAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection))
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
                if (alsoUnderLock is not null) await alsoUnderLock(connection, cancellationToken);
            }
            finally
            {
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw new DatabaseUnavailableException(Describe(options, e), e);
        }
    }

    /// <summary>
    /// True for the failures that mean "the database is not there, or refuses us" (not a bug and not a constraint
    /// violation): the caller answers 503 and tries again later.
    /// </summary>
    public static bool IsUnreachable(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
            || p.SqlState is "57P01" or "57P02" or "57P03" // shutting down, crash shutdown, cannot connect now
                or "53300" or "3D000" or "28P01" or "28000", // too many connections, no database, bad credentials
        NpgsqlException n => n.IsTransient || n.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        Microsoft.Data.Sqlite.SqliteException q => q.SqliteErrorCode is 5 or 6 or 10 or 14, // busy, locked, I/O, cannot open
        System.Net.Sockets.SocketException or TimeoutException => true,
        _ => e.InnerException is { } inner && IsUnreachable(inner),
    };

    private static string Describe(NirsOptions options, Exception e)
    {
        var where = "PostgreSQL";
        try
        {
            var b = new NpgsqlConnectionStringBuilder(options.Postgres);
            where = $"PostgreSQL at {b.Host}:{b.Port}, database '{b.Database}', user '{b.Username}'";
        }
        catch (ArgumentException) { }
        var root = e;
        while (root.InnerException is not null && root is not PostgresException) root = root.InnerException;
        return $"cannot use {where}: {root.Message.ReplaceLineEndings(" ")}";
    }
}

/// <summary>The database settings are wrong (an unknown provider, a missing connection string).</summary>
public sealed class DatabaseConfigurationException(string message) : Exception(message);

/// <summary>The configured database cannot be reached or refuses the credentials.</summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);
