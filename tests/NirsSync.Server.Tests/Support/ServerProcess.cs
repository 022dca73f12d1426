using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NirsSync.Data;
using NirsSync.Data.Accounts;
using NirsSync.Server.Hosting;

namespace NirsSync.Server.Tests.Support;

/// <summary>The built server run as its own OS process on a free port, killable with SIGKILL.</summary>
public sealed class ServerProcess : IDisposable
{
    private Process? _process;
    private readonly Dictionary<string, string> _environment;

    public ServerProcess(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        DataDirectory = dataDirectory;
        Port = FreePort();
        _environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["NirsSync__DataDirectory"] = dataDirectory,
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static string ServerDll()
    {
        // The referenced server project is copied whole (runtimeconfig, deps, appsettings) beside the tests.
        var dll = Path.Combine(AppContext.BaseDirectory, "NirsSync.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("the server is not beside the tests", dll);
    }

    public async Task StartAsync(int timeoutSeconds = 60)
    {
        var dll = ServerDll();
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", BaseAddress.ToString() },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in _environment) info.Environment[k] = v;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited with {_process.ExitCode}");
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"server did not become healthy within {timeoutSeconds} s");
    }

    /// <summary>SIGTERM: a graceful stop (in-flight requests finish, Hangfire workers stop); waits for the exit.</summary>
    public void Terminate()
    {
        if (_process is not { HasExited: false } p) return;
        using var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30))) throw new TimeoutException("the server did not stop within 30 s of SIGTERM");
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    /// <summary>Creates a coach and an athlete in the database before the server runs; returns the athlete.</summary>
    public static async Task<(Guid Id, string Token)> SeedAthleteAsync(string dataDirectory, string coachEmail, string name)
    {
        await using var services = Services(dataDirectory);
        await DataServices.MigrateAsync(services);
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        try { await accounts.AddCoachAsync(coachEmail, "coach-password-1"); }
        catch (AccountException) { }
        var (athlete, token) = await accounts.AddAthleteAsync(name, coachEmail);
        return (athlete.Id, token.Token);
    }

    /// <summary>The same on a PostgreSQL database (the connection string instead of a data folder).</summary>
    public static async Task<(Guid Id, string Token)> SeedAthleteOnPostgresAsync(string postgres, string coachEmail, string name)
    {
        await using var services = Services(null, postgres);
        await DataServices.MigrateAsync(services);
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        try { await accounts.AddCoachAsync(coachEmail, "coach-password-1"); }
        catch (AccountException) { }
        var (athlete, token) = await accounts.AddAthleteAsync(name, coachEmail);
        return (athlete.Id, token.Token);
    }

    public static ServiceProvider Services(string? dataDirectory, string? postgres = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NirsSync:DataDirectory"] = dataDirectory ?? Path.GetTempPath(),
            ["NirsSync:Database"] = postgres is null ? "sqlite" : "postgres",
            ["NirsSync:Postgres"] = postgres,
        }).Build();
        return new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddNirsData(configuration)
            .BuildServiceProvider();
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
