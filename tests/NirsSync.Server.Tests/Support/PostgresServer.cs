using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NirsSync.Data;

namespace NirsSync.Server.Tests.Support;

/// <summary>
/// A real PostgreSQL for the tests, started by the tests: Debian's initdb and pg_ctl on a temporary folder, a free
/// loopback port and the unix socket in that folder; no system service, no root. initdb and postgres refuse to run as
/// root, so when the tests run as root the cluster belongs to the unprivileged user "postgres" (the Debian package
/// creates it) and its commands run through runuser. One cluster per test run, started on first use and stopped at
/// process exit; every test server gets a database of its own. scripts/test-prereqs.sh installs the binaries.
/// A cluster that cannot start fails the postgres variants loudly (they carry the trait Database=postgres, so a
/// developer without PostgreSQL leaves them out with <c>--filter Database!=postgres</c>).
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string _bin;
    private readonly string? _runAs;
    private int _databases;

    private PostgresServer(string bin, string directory, int port, string? runAs)
    {
        _bin = bin;
        Directory_ = directory;
        Port = port;
        _runAs = runAs;
    }

    public static PostgresServer Shared => Instance.Value;

    public string Directory_ { get; }
    public int Port { get; }

    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=40;Timeout=10;Command Timeout=60";

    private const string Template = "nirssync_template";

    /// <summary>
    /// A new database with the current schema; returns its connection string. It is a copy of a template database
    /// migrated once per run (EF migrations and Hangfire's schema), so each test server starts in milliseconds; the
    /// server still runs its migration step (under the advisory lock), which finds nothing to apply.
    /// </summary>
    public string CreateDatabase()
    {
        var name = $"nirssync_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40];
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE {Template}", connection);
        lock (Instance) command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>A new database with nothing in it (no migration applied); returns its connection string.</summary>
    public string CreateEmptyDatabase()
    {
        var name = $"nirssync_empty_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40];
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        lock (Instance) command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    private void CreateTemplate()
    {
        using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {Template}", connection);
            command.ExecuteNonQuery();
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["NirsSync:Database"] = "postgres", ["NirsSync:Postgres"] = ConnectionString(Template) }).Build();
        using var services = new ServiceCollection().AddLogging().AddNirsData(configuration).BuildServiceProvider();
        Data.DataServices.MigrateAsync(services, CancellationToken.None, (c, _) =>
        {
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(c, "hangfire");
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();
        NpgsqlConnection.ClearAllPools();
    }

    private static PostgresServer Start()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL's initdb/pg_ctl were not found under /usr/lib/postgresql/*/bin: run scripts/test-prereqs.sh " +
            "(apt-get install postgresql), or leave the postgres tests out with --filter Database!=postgres");
        var root = Environment.UserName == "root";
        var runAs = root ? "postgres" : null;
        // Clusters of earlier runs are stopped at their process's exit, but their folders may stay (no time to
        // delete at exit): remove those whose postmaster is gone.
        foreach (var old in Directory.GetDirectories(Path.GetTempPath(), "nirssync-pg-*"))
            if (!File.Exists(Path.Combine(old, "data", "postmaster.pid")))
                try { Directory.Delete(old, recursive: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        var directory = Path.Combine(Path.GetTempPath(), "nirssync-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (runAs is not null) Run("chown", ["-R", $"{runAs}:", directory], null, directory);
        var data = Path.Combine(directory, "data");
        Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], runAs, directory);
        var port = ServerProcess.FreePort();
        var settings = string.Join(' ', [
            $"-p {port}", "-c listen_addresses=127.0.0.1", $"-c unix_socket_directories={directory}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=400",
            "-c shared_buffers=64MB",
        ]);
        Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-o", settings, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start"], runAs, directory);
        var server = new PostgresServer(bin, directory, port, runAs);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        server.CreateTemplate();
        return server;
    }

    private void Stop()
    {
        try
        {
            Run(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(Directory_, "data"), "-m", "immediate", "-w", "stop"], _runAs, Directory_);
            Directory.Delete(Directory_, recursive: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException) { }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
            .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")) && File.Exists(Path.Combine(d.Dir, "pg_ctl")))
            .OrderByDescending(d => d.Version).Select(d => d.Dir).FirstOrDefault();
    }

    private static void Run(string file, string[] arguments, string? runAs, string workingDirectory)
    {
        var info = new ProcessStartInfo(runAs is null ? file : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (runAs is not null)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(runAs);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(file);
        }
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish within 90 s");
        }
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(workingDirectory, "server.log");
            var serverLog = File.Exists(log) ? File.ReadAllText(log) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{error.Result}{serverLog}");
        }
    }
}
