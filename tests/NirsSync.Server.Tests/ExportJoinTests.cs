using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Analysis;
using NirsSync.Data;
using NirsSync.Data.Accounts;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;
using NirsSync.SensorExports.Synthetic;
using NirsSync.Server.Ingest;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>
/// Sensor exports joining a FIT ride (issue 17) under faults and concurrency: a join that fails after the FIT ride
/// committed is retried until the export is joined; exports joining one ride at once all end up in it.
/// </summary>
public class ExportJoinTests : IAsyncLifetime
{
    private const string Coach = "coach@example.com";
    private readonly ServerFactory _base;
    private readonly WebApplicationFactory<Program> _server;
    private readonly FlakyProcessor _processor = new();
    private HttpClient _client = null!;

    public ExportJoinTests() : this("sqlite") { }

    /// <summary>The same tests on another provider ("postgres": see ExportJoinTestsOnPostgres).</summary>
    protected ExportJoinTests(string database)
    {
        _base = new ServerFactory { Database = database };
        _server = _base.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<RideProcessor>(_processor)));
    }

    /// <summary>The real processor; the analyses numbered in <see cref="FailingCalls"/> (1-based) throw.</summary>
    private sealed class FlakyProcessor : RideProcessor
    {
        public HashSet<int> FailingCalls { get; } = [];
        public int Calls;

        /// <summary>Run at the start of each analysis with its number (something changing meanwhile).</summary>
        public Action<int>? OnCall { get; set; }

        public override RideContent Process(RideFrame frame, string? warning, string sensorMapJson, string coachPairsJson, Guid rideId,
            IReadOnlyList<NirsSync.Analysis.EffortInterval>? givenEfforts = null)
        {
            var call = Interlocked.Increment(ref Calls);
            OnCall?.Invoke(call);
            if (FailingCalls.Contains(call)) throw new InvalidOperationException($"injected fault in analysis {call}");
            return base.Process(frame, warning, sensorMapJson, coachPairsJson, rideId, givenEfforts);
        }
    }

    public async Task InitializeAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        await accounts.AddCoachAsync(Coach, "coach-password-1", false);
        var (_, token) = await accounts.AddAthleteAsync("Ann", Coach);
        _client = _server.CreateClient();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        _base.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A generated FIT ride (power, two sensors of our data field) and Moxy exports following its power.</summary>
    private static (byte[] Fit, byte[][] Exports) RideAndExports(int seed, params uint[] serials)
    {
        var start = new DateTimeOffset(2026, 11, 20, 7, 0, 0, TimeSpan.Zero).AddDays(seed);
        var fit = SyntheticRide.Generate(new SyntheticRideOptions { Seed = seed, Duration = TimeSpan.FromMinutes(40), Start = start });
        var records = FitColumnarReader.Read(fit, FitDecodeOptions.Lenient).Records;
        var watts = records.Power[..records.Count];
        var exports = serials.Select((serial, i) => SyntheticExports.MoxyCsvFollowing(watts, start.UtcDateTime, -20 + 10 * i, 180,
            watts.Length - 180, serial: serial, seed: seed + i)).ToArray();
        return (fit, exports);
    }

    private async Task<UploadStatusDto> UploadAsync(byte[] bytes)
    {
        var response = await _client.UploadAsync(bytes);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!;
    }

    private async Task<JsonElement> WaitRideAsync(Guid rideId, Func<JsonElement, bool> done, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var ride = await _client.GetFromJsonAsync<JsonElement>($"/api/rides/{rideId}");
            if (done(ride)) return ride;
            Assert.True(DateTime.UtcNow < deadline, $"ride {rideId} not as expected after {seconds} s: sensors "
                + $"{string.Join(",", Sensors(ride))}, exports {(ride.TryGetProperty("exports", out var e) ? e.GetArrayLength() : 0)}");
            await Task.Delay(100);
        }
    }

    private static List<uint?> Sensors(JsonElement ride) => ride.GetProperty("channels").EnumerateArray()
        .Select(c => c.GetProperty("sensor").ValueKind == JsonValueKind.Null ? (uint?)null : c.GetProperty("sensor").GetUInt32())
        .Order().ToList();

    private static bool HasExports(JsonElement ride, int count) =>
        ride.TryGetProperty("exports", out var e) && e.GetArrayLength() == count;

    [Fact]
    public async Task A_join_that_fails_after_the_fit_ride_committed_is_retried_and_ends_joined()
    {
        var (fit, exports) = RideAndExports(3, 1614);
        var export = await _client.WaitProcessedAsync((await UploadAsync(exports[0])).Id);
        Assert.Equal(UploadStatus.Processed, export.Status);
        Assert.Equal(1, _processor.Calls);
        // Analysis 2 is the FIT ride's own; 3 is its join with the waiting export (after the ride's commit) and 4 the
        // first retry: both fail.
        _processor.FailingCalls.UnionWith([3, 4]);

        var fitUpload = await _client.WaitProcessedAsync((await UploadAsync(fit)).Id);
        Assert.Equal(UploadStatus.Processed, fitUpload.Status);

        var joined = await WaitRideAsync(fitUpload.RideId!.Value, r => HasExports(r, 1));
        Assert.True(_processor.Calls >= 5, $"{_processor.Calls} analyses");
        Assert.Equal(export.Id, joined.GetProperty("exports")[0].GetProperty("uploadId").GetGuid());
        Assert.Equal([1614u, 12001u, 12002u], Sensors(joined));
        var status = await _client.GetFromJsonAsync<UploadStatusDto>($"/api/uploads/{export.Id}", Json.Options);
        Assert.Equal(fitUpload.RideId, status!.RideId);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/rides/{export.RideId}")).StatusCode);
    }

    /// <summary>
    /// The node stops after the FIT ride committed and before any join succeeded (every join fails until then): the
    /// next start (SQLite: the queue was in memory) or the recovery sweep (PostgreSQL) joins the export.
    /// </summary>
    [Fact]
    public async Task An_export_left_beside_its_fit_ride_by_a_stopped_node_is_joined_after_the_restart()
    {
        var (fit, exports) = RideAndExports(5, 1614);
        var export = await _client.WaitProcessedAsync((await UploadAsync(exports[0])).Id);
        Assert.Equal(UploadStatus.Processed, export.Status);
        _processor.FailingCalls.UnionWith(Enumerable.Range(3, 1000));
        var fitUpload = await _client.WaitProcessedAsync((await UploadAsync(fit)).Id);
        Assert.Equal(UploadStatus.Processed, fitUpload.Status);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref _processor.Calls) < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(_processor.Calls >= 3, "the join was not attempted");
        var alone = await _client.GetFromJsonAsync<JsonElement>($"/api/rides/{fitUpload.RideId}");
        Assert.False(HasExports(alone, 1));
        _server.Dispose();

        using var restarted = new ServerFactory
        {
            Database = _base.Database, DataDirectoryOverride = _base.DataDirectory,
            PostgresOverride = _base.Database == "postgres" ? _base.Postgres : null,
        };
        var coach = await restarted.CoachClientAsync(Coach);
        _client = coach;
        var joined = await WaitRideAsync(fitUpload.RideId!.Value, r => HasExports(r, 1), seconds: 90);
        Assert.Equal([1614u, 12001u, 12002u], Sensors(joined));
        Assert.Equal(HttpStatusCode.NotFound, (await coach.GetAsync($"/api/rides/{export.RideId}")).StatusCode);
    }

    /// <summary>
    /// An export that leaves the state the join was computed from (here: failed) while the join analyses is not linked:
    /// the join is computed again without it, and the export keeps its own state.
    /// </summary>
    [Fact]
    public async Task An_export_that_changes_state_during_the_join_is_not_linked()
    {
        var (fit, exports) = RideAndExports(6, 1614);
        var export = await _client.WaitProcessedAsync((await UploadAsync(exports[0])).Id);
        Assert.Equal(UploadStatus.Processed, export.Status);
        _processor.OnCall = call =>
        {
            if (call != 3) return; // the join of the waiting export, after the FIT ride's own analysis (2)
            using var scope = _server.Services.CreateScope();
            scope.ServiceProvider.GetRequiredService<NirsDbContext>().Uploads.Where(u => u.Id == export.Id)
                .ExecuteUpdate(u => u.SetProperty(x => x.Status, UploadStatus.Failed).SetProperty(x => x.Reason, "withdrawn meanwhile"));
        };
        var fitUpload = await _client.WaitProcessedAsync((await UploadAsync(fit)).Id);
        Assert.Equal(UploadStatus.Processed, fitUpload.Status);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref _processor.Calls) < 4 && DateTime.UtcNow < deadline) await Task.Delay(50);
        await Task.Delay(500);

        var status = await _client.GetFromJsonAsync<UploadStatusDto>($"/api/uploads/{export.Id}", Json.Options);
        Assert.Equal((UploadStatus.Failed, "withdrawn meanwhile", export.RideId), (status!.Status, status.Reason, status.RideId));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/rides/{export.RideId}")).StatusCode); // its own ride stays
        var ride = await _client.GetFromJsonAsync<JsonElement>($"/api/rides/{fitUpload.RideId}");
        Assert.False(ride.TryGetProperty("exports", out _));
        Assert.Equal([12001u, 12002u], Sensors(ride));
    }

    [Fact]
    public async Task Exports_joining_one_ride_at_once_all_end_up_in_it()
    {
        var (fit, exports) = RideAndExports(4, 1614, 1615, 1616);
        var fitUpload = await _client.WaitProcessedAsync((await UploadAsync(fit)).Id);
        Assert.Equal(UploadStatus.Processed, fitUpload.Status);

        var accepted = await Task.WhenAll(exports.Select(UploadAsync));
        var settled = await Task.WhenAll(accepted.Select(a => _client.WaitProcessedAsync(a.Id)));
        foreach (var s in settled)
        {
            Assert.Equal(UploadStatus.Processed, s.Status);
            Assert.Equal(fitUpload.RideId, s.RideId);
        }
        var ride = await WaitRideAsync(fitUpload.RideId!.Value, r => HasExports(r, 3));
        // Every export's channel is in the stored analysis: no join wrote the ride without the others.
        Assert.Equal([1614u, 1615u, 1616u, 12001u, 12002u], Sensors(ride));
        var rides = await _client.GetFromJsonAsync<JsonElement>($"/api/athletes/{fitUpload.AthleteId}/rides");
        Assert.Equal(fitUpload.RideId, Assert.Single(rides.EnumerateArray()).GetProperty("id").GetGuid());
    }
}

/// <summary>Every test of <see cref="ExportJoinTests"/> against PostgreSQL.</summary>
[Trait("Database", "postgres")]
public sealed class ExportJoinTestsOnPostgres() : ExportJoinTests("postgres");
