using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NirsSync.Fit.Synthetic;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;
using NirsSync.Server.Athletes;
using NirsSync.Data.Documents;
using NirsSync.Server.Rides;

namespace NirsSync.Server.Tests;

/// <summary>Pairs a coach defines for an athlete: stored, used at ingest and by re-analysis, guarded like the sensor map.</summary>
public sealed class CoachPairTests : IAsyncLifetime
{
    private const string Coach1 = "coach1@example.com";
    private const string Coach2 = "coach2@example.com";
    private readonly ServerFactory _server = new();
    private Guid _ann;
    private HttpClient _annClient = null!;
    private HttpClient _cidClient = null!;

    private static readonly object[] VastusTibialisLeft =
        [new { muscleA = "vastus_lateralis", sideA = "left", muscleB = "tibialis_anterior", sideB = "left", name = "VL/TA left" }];

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync(Coach1);
        await _server.AddCoachAsync(Coach2);
        (_ann, var annToken) = await _server.AddAthleteAsync("Ann", Coach1);
        (_, var cidToken) = await _server.AddAthleteAsync("Cid", Coach2);
        _annClient = _server.AthleteClient(annToken);
        _cidClient = _server.AthleteClient(cidToken);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Vastus lateralis and tibialis anterior, both left: no pair the analysis core knows by itself.</summary>
    private static byte[] ThighAndShinRide(int seed, DateTimeOffset start) => SyntheticRide.Generate(new SyntheticRideOptions
    {
        Seed = seed, Duration = TimeSpan.FromMinutes(20), Start = start,
        Sensors = [new(14001, 1, 1), new(14002, 8, 1)],
    });

    private async Task<RideDto> IngestAsync(byte[] bytes)
    {
        var response = await _annClient.UploadAsync(bytes);
        var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        var done = await _annClient.WaitProcessedAsync(accepted!.Id);
        Assert.Equal(Data.UploadStatus.Processed, done.Status);
        return (await _annClient.GetFromJsonAsync<RideDto>($"/api/rides/{done.RideId}", Json.Options))!;
    }

    private static JsonElement? CoachPair(RideDto ride) => ride.Pairs.EnumerateArray()
        .Cast<JsonElement?>().SingleOrDefault(p => p!.Value.GetProperty("relation").GetString() == "coach");

    [Fact]
    public async Task CoachPairAppearsInTheRideAfterPutAndInLaterRidesAtIngest()
    {
        var first = await IngestAsync(ThighAndShinRide(81, new DateTimeOffset(2026, 10, 5, 7, 0, 0, TimeSpan.Zero)));
        Assert.Empty(first.Pairs.EnumerateArray());

        var coach = await _server.CoachClientAsync(Coach1);
        var put = await coach.PutAsJsonAsync($"/api/athletes/{_ann}/pairs", VastusTibialisLeft);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = await _annClient.GetFromJsonAsync<CoachPairsDto>($"/api/athletes/{_ann}/pairs", Json.Options);
        Assert.Equal([new CoachPairEntry("vastus_lateralis", "left", "tibialis_anterior", "left", "VL/TA left")], stored!.Pairs);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement? pair;
        while ((pair = CoachPair((await _annClient.GetFromJsonAsync<RideDto>($"/api/rides/{first.Id}", Json.Options))!)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the ride was not re-analyzed with the coach's pair");
            await Task.Delay(50);
        }
        Assert.Equal("VL/TA left", pair.Value.GetProperty("name").GetString());
        var p50 = pair.Value.GetProperty("p50");
        Assert.Equal(p50.GetProperty("a").GetDouble() - p50.GetProperty("b").GetDouble(),
            p50.GetProperty("difference").GetDouble(), 2);

        var second = await IngestAsync(ThighAndShinRide(82, new DateTimeOffset(2026, 10, 7, 7, 0, 0, TimeSpan.Zero)));
        Assert.Equal("VL/TA left", CoachPair(second)?.GetProperty("name").GetString());
        var trends = await TrendWait.CurrentAsync(_annClient, _ann);
        Assert.Contains(trends.Trends!.Value.GetProperty("pairs").EnumerateArray(),
            p => p.GetProperty("subject").GetString() == "vastus_lateralis/left|tibialis_anterior/left");
    }

    [Theory]
    [InlineData("quadzilla", "left", "unknown muscle 'quadzilla'")]
    [InlineData("vastus_lateralis", "middle", "unknown side 'middle'")]
    [InlineData("unknown", "left", "unknown muscle 'unknown'")]
    public async Task UnknownMuscleOrSideIsRefusedNamingIt(string muscleA, string sideA, string expected)
    {
        var put = await (await _server.CoachClientAsync(Coach1)).PutAsJsonAsync($"/api/athletes/{_ann}/pairs",
            new[] { new { muscleA, sideA, muscleB = "biceps_femoris", sideB = "left", name = "x" } });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        var stored = await _annClient.GetFromJsonAsync<CoachPairsDto>($"/api/athletes/{_ann}/pairs", Json.Options);
        Assert.Empty(stored!.Pairs);
    }

    [Fact]
    public async Task AnotherCoachOrAthleteCannotReadOrChangeThePairs()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _annClient.PutAsJsonAsync($"/api/athletes/{_ann}/pairs", VastusTibialisLeft)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await _server.CoachClientAsync(Coach1)).PutAsJsonAsync($"/api/athletes/{_ann}/pairs", VastusTibialisLeft)).StatusCode);
        var otherCoach = await _server.CoachClientAsync(Coach2);
        foreach (var stranger in new[] { otherCoach, _cidClient })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/athletes/{_ann}/pairs")).StatusCode);
            var put = await stranger.PutAsJsonAsync($"/api/athletes/{_ann}/pairs", Array.Empty<object>());
            Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        }
        var coach = await _server.CoachClientAsync(Coach1);
        var stored = await coach.GetFromJsonAsync<CoachPairsDto>($"/api/athletes/{_ann}/pairs", Json.Options);
        Assert.Equal("VL/TA left", Assert.Single(stored!.Pairs).Name);
    }
}
