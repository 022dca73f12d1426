using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NirsSync.Data.Accounts;
using NirsSync.Data;

namespace NirsSync.Data;

/// <summary>The database, Identity stores and account services; shared by the server and the CLI's admin commands.</summary>
public static class DataServices
{
    public static IServiceCollection AddNirsData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NirsOptions>().Bind(configuration.GetSection(NirsOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WriteGate>();
        services.AddDbContext<NirsDbContext>((sp, b) =>
        {
            var options = sp.GetRequiredService<IOptions<NirsOptions>>().Value;
            b.UseSqlite(options.ConnectionString).AddInterceptors(new SqlitePragmas(options.SynchronousFull));
        });
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

    /// <summary>Creates the data folder and applies the migrations.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<NirsOptions>>().Value;
        // Owner-only folder before SQLite creates anything, owner-only database file after (docs/security.md).
        DataFolder.EnsureFolder(Path.GetDirectoryName(options.DatabasePath)!);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        DataFolder.TightenDatabaseFiles(options.DatabasePath);
    }
}
