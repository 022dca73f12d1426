using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Server.Ingest;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>Faults during ingest and re-analysis (issue 12): nothing accepted is lost, nothing sticks, nothing crash-loops.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private const string Coach = "coach@example.com";
    // Runs no jobs: the servers derived from it, each with its own faulty processor, must be the ones that ingest.
    private readonly ServerFactory _base = new() { Role = "web" };
    private (Guid Id, string Token) _ann;

    public async Task InitializeAsync()
    {
        await _base.AddCoachAsync(Coach);
        _ann = await _base.AddAthleteAsync("Ann", Coach);
    }

    public Task DisposeAsync()
    {
        _base.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The real processor, failing the first <c>Failures</c> calls with the given exception.</summary>
    private sealed class FlakyProcessor(Func<Exception> fault) : RideProcessor
    {
        public int Failures { get; set; }
        public int Calls;

        public override RideContent Process(byte[] bytes, string sensorMapJson, string coachPairsJson, Guid rideId)
        {
            if (Interlocked.Increment(ref Calls) <= Failures) throw fault();
            return base.Process(bytes, sensorMapJson, coachPairsJson, rideId);
        }
    }

    private WebApplicationFactory<Program> With(FlakyProcessor processor, int maxAttempts = 5, double retrySeconds = 0.05) =>
        _base.WithWebHostBuilder(b =>
        {
            b.UseSetting("NirsSync:Role", "all");
            b.UseSetting("NirsSync:MaxIngestAttempts", maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("NirsSync:IngestRetryBaseSeconds", retrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.ConfigureTestServices(s => s.AddSingleton<RideProcessor>(processor));
        });

    private static async Task<UploadStatusDto> UploadAsync(WebApplicationFactory<Program> server, string token, byte[] bytes, HttpStatusCode expected)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var response = await client.UploadAsync(bytes);
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!;
    }

    private static async Task<UploadStatusDto> SettledAsync(WebApplicationFactory<Program> server, string token, Guid id)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return await client.WaitProcessedAsync(id);
    }

    public static TheoryData<string> TransientFaults() => ["busy", "oom", "io", "timeout"];

    private static Exception Fault(string kind) => kind switch
    {
        "busy" => new SqliteException("database is locked", 5),
        "oom" => new OutOfMemoryException(),
        "io" => new IOException("disk I/O error"),
        _ => new TimeoutException("the operation timed out"),
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task TransientFailureIsRetriedWithBackoffAndNeverFailsTheRideForGood(string kind)
    {
        var processor = new FlakyProcessor(() => Fault(kind)) { Failures = 2 };
        await using var server = With(processor);
        var accepted = await UploadAsync(server, _ann.Token, Rides.Synthetic(seed: 300, minutes: 5), HttpStatusCode.Accepted);
        var done = await SettledAsync(server, _ann.Token, accepted.Id);
        Assert.Equal(UploadStatus.Processed, done.Status);
        Assert.Null(done.Reason);
        Assert.Equal(3, processor.Calls);
    }

    [Fact]
    public async Task AJobThatExhaustsItsRetriesLeavesTheUploadVisiblyFailed()
    {
        var processor = new FlakyProcessor(() => new SqliteException("database is locked", 5)) { Failures = int.MaxValue };
        await using var server = With(processor, maxAttempts: 3);
        var accepted = await UploadAsync(server, _ann.Token, Rides.Synthetic(seed: 301, minutes: 5), HttpStatusCode.Accepted);
        var done = await SettledAsync(server, _ann.Token, accepted.Id);
        Assert.Equal(UploadStatus.Failed, done.Status);
        Assert.StartsWith("gave up after 3 attempts; last: SqliteException", done.Reason);
        Assert.Equal(3, processor.Calls);
    }

    [Fact]
    public async Task PermanentFailureIsFailedWithItsReasonAndReuploadingTheSameBytesRetriesIt()
    {
        var processor = new FlakyProcessor(() => new InvalidOperationException("decoder fault")) { Failures = 1 };
        await using var server = With(processor);
        var bytes = Rides.Synthetic(seed: 302, minutes: 5);
        var first = await SettledAsync(server, _ann.Token, (await UploadAsync(server, _ann.Token, bytes, HttpStatusCode.Accepted)).Id);
        Assert.Equal(UploadStatus.Failed, first.Status);
        Assert.Equal("the ride could not be processed: InvalidOperationException: decoder fault", first.Reason);
        var again = await UploadAsync(server, _ann.Token, bytes, HttpStatusCode.Accepted);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(UploadStatus.Pending, again.Status);
        Assert.StartsWith("retrying: the same file was uploaded again; the previous attempt failed: the ride could not be processed", again.Reason);
        var done = await SettledAsync(server, _ann.Token, again.Id);
        Assert.Equal(UploadStatus.Processed, done.Status);
        Assert.Null(done.Reason);
    }

    [Fact]
    public async Task AnUploadThatKeepsCrashingTheProcessIsFailedInsteadOfCrashLooping()
    {
        // A first server starts the upload and "dies" before finishing: a retry is an hour away when it stops.
        var stuck = new FlakyProcessor(() => new IOException("simulated")) { Failures = int.MaxValue };
        Guid id;
        await using (var first = With(stuck, retrySeconds: 3600))
        {
            id = (await UploadAsync(first, _ann.Token, Rides.Synthetic(seed: 303, minutes: 5), HttpStatusCode.Accepted)).Id;
            await using var scope = first.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            // Until the first attempt has ended (its retry an hour away): changed while it runs, its own failure
            // handling would read the attempts set below and give up itself.
            while ((await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == id)).NextAttemptAt is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the first attempt never ended");
                await Task.Delay(50);
            }
            // As if the process had been killed during each of the last attempts.
            await db.Uploads.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Attempts, 5).SetProperty(u => u.Reason, (string?)null));
        }
        var healthy = new FlakyProcessor(() => new IOException("unused"));
        await using var restarted = With(healthy);
        var done = await SettledAsync(restarted, _ann.Token, id);
        Assert.Equal(UploadStatus.Failed, done.Status);
        Assert.StartsWith("processing was started 5 times without finishing", done.Reason);
        Assert.Equal(0, healthy.Calls);
    }

    private async Task<(long RideVersion, string? Pending)> AthleteAsync(WebApplicationFactory<Program> server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var a = await scope.ServiceProvider.GetRequiredService<NirsDbContext>().Athletes.AsNoTracking().SingleAsync(x => x.Id == _ann.Id);
        return (a.RideVersion, a.ReanalyzePending);
    }

    private static async Task<HttpClient> CoachAsync(WebApplicationFactory<Program> server)
    {
        var client = server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/login", new { email = Coach, password = "coach-password-1" })).StatusCode);
        client.DefaultRequestHeaders.Add("Origin", ServerFactory.Origin);
        return client;
    }

    private static object Pair(string name) => new[] { new { muscleA = "vastus_lateralis", sideA = "left", muscleB = "tibialis_anterior", sideB = "left", name } };

    [Fact]
    public async Task ABurstOfSettingsChangesRunsOneReanalysis()
    {
        var processor = new FlakyProcessor(() => new IOException("unused"));
        await using var server = With(processor);
        var upload = await UploadAsync(server, _ann.Token, Rides.Synthetic(seed: 304, minutes: 5), HttpStatusCode.Accepted);
        Assert.Equal(UploadStatus.Processed, (await SettledAsync(server, _ann.Token, upload.Id)).Status);
        var before = await AthleteAsync(server);
        var callsBefore = processor.Calls;
        var coach = await CoachAsync(server);
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await coach.PutAsJsonAsync($"/api/athletes/{_ann.Id}/pairs", Pair($"legs {i}"))).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await AthleteAsync(server)).Pending is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the owed re-analysis never ran");
            await Task.Delay(100);
        }
        await Task.Delay(3000); // any further, uncoalesced run would have started by now
        Assert.Equal(before.RideVersion + 1, (await AthleteAsync(server)).RideVersion);
        Assert.Equal(callsBefore + 1, processor.Calls);
    }

    [Fact]
    public async Task AReanalysisOwedWhenTheProcessStopsRunsAfterTheRestart()
    {
        var processor = new FlakyProcessor(() => new IOException("unused"));
        long version;
        await using (var first = _base.WithWebHostBuilder(b => b.UseSetting("NirsSync:ReanalyzeDelaySeconds", "3600").UseSetting("NirsSync:Role", "all")))
        {
            var upload = await UploadAsync(first, _ann.Token, Rides.Synthetic(seed: 305, minutes: 5), HttpStatusCode.Accepted);
            Assert.Equal(UploadStatus.Processed, (await SettledAsync(first, _ann.Token, upload.Id)).Status);
            var coach = await CoachAsync(first);
            Assert.Equal(HttpStatusCode.OK, (await coach.PutAsJsonAsync($"/api/athletes/{_ann.Id}/pairs", Pair("legs"))).StatusCode);
            var owed = await AthleteAsync(first);
            Assert.Equal(ReanalysisRequests.Everything, owed.Pending);
            version = owed.RideVersion;
            // Make it due now, as if the hour had passed while the server was down.
            await using var scope = first.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NirsDbContext>().Athletes.Where(a => a.Id == _ann.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ReanalyzeDueAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }
        await using var restarted = With(processor);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await AthleteAsync(restarted)).Pending is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the owed re-analysis was not found again at start");
            await Task.Delay(100);
        }
        Assert.Equal(version + 1, (await AthleteAsync(restarted)).RideVersion);
        Assert.Equal(1, processor.Calls);
    }
}
