using System.Net;
using System.Text;
using NirsSync.Cli.Sync;

namespace NirsSync.Cli.Tests;

/// <summary>Issue 12, item 6: what used to crash, block or hang the sync agent and <c>nirssync upload</c>.</summary>
public sealed class SyncHardeningTests : IDisposable
{
    private readonly SyncWorld _world = new();
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Answers each request with <paramref name="answer"/>; counts the uploads per SHA-256 of their body.</summary>
    private sealed class FakeServer(Func<HttpRequestMessage, byte[], HttpResponseMessage> answer) : HttpMessageHandler
    {
        public Dictionary<string, int> Uploads { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            if (request.Method == HttpMethod.Post)
                lock (Uploads) Uploads[SyncWorld.Sha(body)] = Uploads.GetValueOrDefault(SyncWorld.Sha(body)) + 1;
            return answer(request, body);
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private SyncSettings Settings() => _world.Settings("nst_test") with { RetryBase = TimeSpan.FromSeconds(30), RetryMax = TimeSpan.FromMinutes(5) };

    private (int Code, string Output, string Error) Upload(SyncFlags flags, params string[] files)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = SyncRunner.UploadAsync(flags with { StateDirectory = _world.State, Token = "nst_test" },
            [.. files.Select(f => new FileInfo(f))], wait: true,
            k => k == "NIRSSYNC_CONFIG" ? Path.Combine(_world.Root, "no-config.json") : null, output, error,
            CancellationToken.None).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task ARideTheServerFailsOnDoesNotBlockTheRidesBehindIt()
    {
        var bad = SyncWorld.Ride(seed: 1);
        var good = new[] { SyncWorld.Ride(seed: 2), SyncWorld.Ride(seed: 3) };
        var server = new FakeServer((_, body) => SyncWorld.Sha(body) == SyncWorld.Sha(bad)
            ? Json(HttpStatusCode.InternalServerError, """{"detail":"boom on this ride"}""")
            : Json(HttpStatusCode.Accepted, $$"""{"id":"{{Guid.NewGuid()}}","status":"pending"}"""));
        var queue = new SyncQueue(_world.State);
        // The failing ride is the oldest, so it is first in line.
        queue.Enqueue(SyncWorld.Sha(bad), bad, "/a/bad.fit", DateTimeOffset.UtcNow.AddMinutes(-3));
        for (var i = 0; i < good.Length; i++) queue.Enqueue(SyncWorld.Sha(good[i]), good[i], $"/a/good{i}.fit", DateTimeOffset.UtcNow.AddMinutes(-2 + i));
        var output = new StringWriter();
        using var uploader = new SyncUploader(_world.Server.BaseAddress, "nst_test", TimeSpan.FromSeconds(10), server);
        var agent = new SyncAgent(Settings(), queue, uploader, output, TimeProvider.System);

        var first = await agent.DrainAsync(force: false, CancellationToken.None);
        Assert.Equal((2, 0, 1), (first.Uploaded, first.Refused, first.Waiting));
        var waiting = Assert.Single(queue.Pending());
        Assert.Equal((SyncWorld.Sha(bad), 1), (waiting.Sha256, waiting.Attempts));
        Assert.True(waiting.NextAttemptAt > DateTimeOffset.UtcNow.AddSeconds(20), $"own backoff: next at {waiting.NextAttemptAt}");
        Assert.Contains("500: boom on this ride", waiting.LastError);
        Assert.Contains("the others go on", output.ToString());

        // The next pass leaves the failing ride alone until its own time has come.
        var attempts = server.Uploads[SyncWorld.Sha(bad)];
        var second = await agent.DrainAsync(force: false, CancellationToken.None);
        Assert.Equal((0, 1), (second.Uploaded, second.Waiting));
        Assert.Equal(attempts, server.Uploads[SyncWorld.Sha(bad)]);
        Assert.Equal(1, server.Uploads[SyncWorld.Sha(good[0])]);
    }

    [Fact]
    public void EmptyOrCorruptQueueRecordsAreQuarantinedWithTheirReasonInsteadOfCrashing()
    {
        var notices = new List<string>();
        var ride = SyncWorld.Ride(seed: 4);
        var queue = new SyncQueue(_world.State, notices.Add);
        queue.Enqueue(SyncWorld.Sha(ride), ride, "/a/ride.fit", T0);
        var queueDir = Path.Combine(_world.State, "queue");
        var empty = new string('a', 64);
        var corrupt = new string('b', 64);
        File.WriteAllBytes(Path.Combine(queueDir, empty + ".json"), []);
        File.WriteAllBytes(Path.Combine(queueDir, empty + ".fit"), ride);
        File.WriteAllText(Path.Combine(queueDir, corrupt + ".json"), "{\"sha256\": \"bbb");
        File.WriteAllText(Path.Combine(_world.State, "done", new string('c', 64) + ".json"), "null");

        Assert.Equal(SyncWorld.Sha(ride), Assert.Single(queue.Pending()).Sha256);
        Assert.Empty(queue.Uploaded());
        Assert.Equal(
            [$"done-{new string('c', 64)}.json", $"queue-{empty}.json", $"queue-{corrupt}.json"],
            queue.Quarantined());
        var quarantine = Path.Combine(_world.State, "quarantine");
        Assert.Equal("the record is empty\n", File.ReadAllText(Path.Combine(quarantine, $"queue-{empty}.reason.txt")));
        Assert.StartsWith("the record is not valid JSON", File.ReadAllText(Path.Combine(quarantine, $"queue-{corrupt}.reason.txt")));
        Assert.Equal(ride, File.ReadAllBytes(Path.Combine(quarantine, $"queue-{empty}.fit"))); // nothing accepted is lost
        Assert.Equal(3, notices.Count);
        Assert.Contains(notices, n => n.Contains($"{empty}.json was set aside") && n.Contains("the record is empty"));
        Assert.False(File.Exists(Path.Combine(queueDir, empty + ".json")));
    }

    [Fact]
    public void UploadDoesNotCrashOnAnEmptyQueueRecord()
    {
        var file = Path.Combine(_world.Root, "ride.fit");
        File.WriteAllBytes(file, SyncWorld.Ride(seed: 5));
        var queueDir = Directory.CreateDirectory(Path.Combine(_world.State, "queue")).FullName;
        File.WriteAllBytes(Path.Combine(queueDir, new string('d', 64) + ".json"), []);
        // No server listens there: the ride stays queued, and the empty record is set aside with a message.
        var result = Upload(new SyncFlags { Server = "http://127.0.0.1:9" }, file);
        Assert.Equal(SyncRunner.StillQueued, result.Code);
        Assert.Contains($"the queue record {new string('d', 64)}.json was set aside", result.Error);
        Assert.Contains("the record is empty", result.Error);
    }

    [Fact]
    public void AFileLargerThanTheUploadLimitIsRefusedLocallyWithoutBeingSent()
    {
        var file = Path.Combine(_world.Root, "big.fit");
        var ride = SyncWorld.Ride(seed: 6);
        File.WriteAllBytes(file, ride);
        var result = Upload(new SyncFlags { Server = "http://127.0.0.1:9", MaxUploadBytes = ride.Length - 1 }, file);
        Assert.Equal(1, result.Code);
        Assert.Contains("big.fit: ", result.Error);
        Assert.Contains("is larger than the upload limit of", result.Error);
        Assert.Empty(new SyncQueue(_world.State).Pending());

        // The agent's scanner never reads it whole and says why once.
        var notices = new List<string>();
        var clock = new ManualClock(T0);
        var scanner = new FolderScanner(() => [_world.Root], false, TimeSpan.FromSeconds(1), clock, ride.Length - 1);
        Assert.Empty(scanner.Scan(notices.Add));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(scanner.Scan(notices.Add));
        Assert.Empty(scanner.Scan(notices.Add));
        Assert.Contains("is larger than the upload limit", Assert.Single(notices));
    }

    [Fact]
    public void TheDefaultUploadLimitIsTheServers64MiBAndConfigurable()
    {
        string? Env(string k) => k == "NIRSSYNC_CONFIG" ? Path.Combine(_world.Root, "no-config.json") : null;
        Assert.Equal(64L << 20, SyncSettings.Resolve(new SyncFlags { Token = "t" }, Env).MaxUploadBytes);
        Assert.Equal(1000, SyncSettings.Resolve(new SyncFlags { Token = "t" }, k => k == "NIRSSYNC_MAX_UPLOAD_BYTES" ? "1000" : Env(k)).MaxUploadBytes);
        Assert.Equal(TimeSpan.FromMinutes(10), SyncSettings.Resolve(new SyncFlags { Token = "t" }, Env).WaitTimeout);
        var e = Assert.Throws<SyncConfigException>(() => SyncSettings.Resolve(new SyncFlags { Token = "t", MaxUploadBytes = 0 }, Env));
        Assert.Contains("upload size limit must be positive", e.Message);
    }

    [Fact]
    public void QueueRenamesAreFlushedToTheFolder()
    {
        var before = Interlocked.Read(ref DurableFile.DirectorySyncs);
        var ride = SyncWorld.Ride(seed: 7);
        new SyncQueue(_world.State).Enqueue(SyncWorld.Sha(ride), ride, "/a/r.fit", T0);
        // The bytes and the record: two renames, each followed by a flush of the queue folder.
        Assert.True(Interlocked.Read(ref DurableFile.DirectorySyncs) >= before + 2);
        // It really asks the system: a folder that does not exist cannot be flushed.
        Assert.Throws<IOException>(() => DurableFile.SyncDirectory(Path.Combine(_world.Root, "no-such-folder")));
    }

    [Fact]
    public async Task WaitingForProcessingGivesUpAtTheTimeout()
    {
        var id = Guid.NewGuid();
        var server = new FakeServer((_, _) => Json(HttpStatusCode.OK, $$"""{"id":"{{id}}","status":"pending"}"""));
        using var http = new HttpClient(server) { BaseAddress = new Uri("http://127.0.0.1:9") };
        var queue = new SyncQueue(_world.State);
        var ride = SyncWorld.Ride(seed: 8);
        var sha = SyncWorld.Sha(ride);
        queue.Enqueue(sha, ride, "/a/r.fit", T0);
        queue.MarkUploaded(queue.Pending().Single(), id, 202, T0);
        var output = new StringWriter();
        var (failed, unfinished) = await SyncRunner.WaitProcessedAsync(http, TimeSpan.FromMilliseconds(500), queue,
            [(sha, "r.fit")], output, CancellationToken.None);
        Assert.Equal((0, 1), (failed, unfinished));
        Assert.Contains($"r.fit: upload {id} sent; still not processed after 1 s", output.ToString());
    }

    public void Dispose() => _world.Dispose();

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;
        public void Advance(TimeSpan by) => _now += by;
        public override DateTimeOffset GetUtcNow() => _now;
    }
}
