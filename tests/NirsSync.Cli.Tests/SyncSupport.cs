using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NirsSync.Cli.Sync;
using NirsSync.Fit.Synthetic;
using NirsSync.Data.Accounts;
using NirsSync.Data;
using NirsSync.Server.Hosting;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Cli.Tests;

/// <summary>
/// The real NirsSync server as its own process (the server tests' <see cref="ServerProcess"/>) on a
/// loopback port that stays the same across restarts, so an agent configured once sees the server go
/// away and come back.
/// </summary>
public sealed class SyncServer(string dataDirectory) : IDisposable
{
    private readonly ServerProcess _process = new(dataDirectory, new Dictionary<string, string>
    {
        ["NirsSync__SynchronousFull"] = "false",
        ["NirsSync__TrendBatchDelaySeconds"] = "0",
    });

    public string DataDirectory => _process.DataDirectory;
    public int Port => _process.Port;
    public Uri BaseAddress => _process.BaseAddress;

    public Task StartAsync() => _process.StartAsync();

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill() => _process.Kill();

    public void Dispose() => _process.Dispose();

    public Task<(Guid Id, string Token)> SeedAthleteAsync(string name) =>
        ServerProcess.SeedAthleteAsync(DataDirectory, "coach@example.com", name);

    /// <summary>Every upload of the athlete in the server's database: SHA-256 (hex) and status.</summary>
    public async Task<List<(string Sha256, UploadStatus Status)>> UploadsAsync(Guid athleteId)
    {
        await using var services = Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var rows = await db.Uploads.AsNoTracking().Where(u => u.AthleteId == athleteId)
            .Select(u => new { u.Sha256, u.Status }).ToListAsync();
        return [.. rows.Select(r => (Convert.ToHexStringLower(r.Sha256), r.Status))];
    }

    internal ServiceProvider Services() => ServerProcess.Services(DataDirectory);
}

/// <summary>An agent running in this process over a state folder, stoppable and restartable.</summary>
public sealed class SyncAgentRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly SyncUploader _uploader;

    public SyncAgentRun(SyncSettings settings, TextWriter output, HttpMessageHandler? handler = null)
    {
        Queue = new SyncQueue(settings.StateDirectory);
        _uploader = new SyncUploader(settings.Server, settings.Token, settings.RequestTimeout, handler);
        var agent = new SyncAgent(settings, Queue, _uploader, output, TimeProvider.System);
        _run = Task.Run(() => agent.RunAsync(_stop.Token));
    }

    public SyncQueue Queue { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _uploader.Dispose();
        _stop.Dispose();
    }
}

/// <summary>
/// Passes requests on and runs <paramref name="afterAnswer"/> once, right after the <paramref name="count"/>th successful
/// answer has been received whole. A handler returns once the headers are in; the body may follow in another packet
/// (it did once in CI), and killing the server before that lost the answer the test counts as received.
/// </summary>
public sealed class AfterAnswers(int count, Action afterAnswer) : DelegatingHandler(new HttpClientHandler())
{
    private int _answers;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode && Interlocked.Increment(ref _answers) == count)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            afterAnswer();
        }
        return response;
    }
}

/// <summary>Temporary folders, fast agent settings, synthetic rides and bounded polling.</summary>
public sealed class SyncWorld : IDisposable
{
    public SyncWorld()
    {
        Root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nirssync-sync-" + Guid.NewGuid().ToString("N"))).FullName;
        Watch = Directory.CreateDirectory(Path.Combine(Root, "GARMIN", "Activity")).FullName;
        State = Path.Combine(Root, "state");
        Server = new SyncServer(Path.Combine(Root, "server"));
        Output = TextWriter.Synchronized(_log);
    }

    public string Root { get; }
    public string Watch { get; }
    public string State { get; }
    public SyncServer Server { get; }
    private readonly StringWriter _log = new();

    /// <summary>The agents' output; one synchronized writer, so <see cref="LogText"/> can lock it.</summary>
    public TextWriter Output { get; }

    public SyncSettings Settings(string token, params string[] folders) => new()
    {
        Server = Server.BaseAddress,
        Token = token,
        StateDirectory = State,
        WatchFolders = folders.Length > 0 ? folders : [Root],
        PollInterval = TimeSpan.FromMilliseconds(100),
        Settle = TimeSpan.FromMilliseconds(400),
        RetryBase = TimeSpan.FromMilliseconds(200),
        RetryMax = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    public static byte[] Ride(int seed, int minutes = 5) => SyntheticRide.Generate(new SyntheticRideOptions
    {
        Seed = seed,
        Duration = TimeSpan.FromMinutes(minutes),
        Start = new DateTimeOffset(2026, 10, 5, 7, 0, 0, TimeSpan.Zero).AddDays(seed % 60),
    });

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public string LogText() { lock (Output) return _log.ToString(); }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{what} did not happen within {seconds} s. Agent log:\n{LogText()}");
            await Task.Delay(100);
        }
    }

    public Task Eventually(Func<bool> condition, string what, int seconds = 90) =>
        Eventually(() => Task.FromResult(condition()), what, seconds);

    public void Dispose()
    {
        Server.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
