using System.Net;
using System.Net.Http.Json;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;
using NirsSync.Server.Athletes;
using NirsSync.Server.Tokens;
using NirsSync.Data.Documents;
using NirsSync.Server.Rides;

namespace NirsSync.Server.Tests;

/// <summary>The reading API over real ingested rides: ride detail, weekly trends, sensor map, CSV exports.</summary>
public class ReadingApiTests : IAsyncLifetime
{
    private readonly ServerFactory _server;

    public ReadingApiTests() : this("sqlite") { }

    /// <summary>The same tests on another provider ("postgres": see ReadingApiTestsOnPostgres).</summary>
    protected ReadingApiTests(string database) => _server = new() { Database = database };
    private Guid _athlete;
    private HttpClient _ann = null!;
    private readonly List<UploadStatusDto> _uploads = [];
    private static readonly DateTimeOffset Monday = new(2026, 10, 5, 6, 30, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync("coach@example.com");
        (_athlete, var token) = await _server.AddAthleteAsync("Ann", "coach@example.com");
        _ann = _server.AthleteClient(token);
        // Two rides in the week of 5 October, one in the week of 12 October.
        foreach (var (start, seed) in new[] { (Monday, 31), (Monday.AddDays(2), 32), (Monday.AddDays(8), 33) })
        {
            var response = await _ann.UploadAsync(Rides.Synthetic(seed: seed, minutes: 20, start: start));
            var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
            _uploads.Add(await _ann.WaitProcessedAsync(accepted!.Id));
        }
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RideListIsNewestFirstWithTiming()
    {
        var rides = await _ann.GetFromJsonAsync<List<RideSummaryDto>>($"/api/athletes/{_athlete}/rides", Json.Options);
        Assert.Equal(3, rides!.Count);
        Assert.Equal(Monday.AddDays(8), rides[0].StartTime);
        Assert.Equal(Monday, rides[2].StartTime);
        Assert.All(rides, r => Assert.Equal(1199, r.DurationSeconds));
        Assert.Equal(new DateOnly(2026, 10, 12), rides[0].WeekStart);
    }

    [Fact]
    public async Task RideCarriesDownsampledPowerSeries()
    {
        var ride = await _ann.GetFromJsonAsync<RideDto>($"/api/rides/{_uploads[0].RideId}", Json.Options);
        Assert.Equal(_uploads[0].Id, ride!.UploadId);
        var series = ride.Series;
        var step = series.GetProperty("stepSeconds").GetInt32();
        Assert.Equal(2, step);
        var power = series.GetProperty("power").EnumerateArray().ToList();
        Assert.Equal(600, power.Count);
        Assert.True(power.Average(p => p.GetDouble()) is > 100 and < 300);
        Assert.InRange(ride.AveragePower!.Value, 100, 300);
    }

    [Fact]
    public async Task RidesCsvHasHeaderAndOneLinePerRideAndMuscle()
    {
        var response = await _ann.GetAsync($"/api/athletes/{_athlete}/rides.csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ride_id,start_utc,week,duration_s,avg_power_w,channel,muscle,side,sensor,smo2_p5", lines[0]);
        Assert.Equal(1 + 3 * 2, lines.Length);
        Assert.Equal(2, lines.Count(l => l.Contains("2026-10-05T06:30:00Z,2026-W41,1199,", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains(",vastus_lateralis,left,12001,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",vastus_lateralis,right,12002,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SensorMapRoundTripsAndReportsChangedDevices()
    {
        // Changing the map needs the signed-in coach (an upload token gets 403, AuthorizationMatrixTests).
        var coach = await _server.CoachClientAsync("coach@example.com");
        var put = await coach.PutAsJsonAsync($"/api/athletes/{_athlete}/sensor-map",
            new[] { new SensorMapEntry(12002, 1, 2), new SensorMapEntry(12001, 1, 1) });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var changed = await put.Content.ReadFromJsonAsync<SensorMapChangedDto>(Json.Options);
        Assert.Equal([12001, 12002], changed!.ChangedDevices);
        var again = await coach.PutAsJsonAsync($"/api/athletes/{_athlete}/sensor-map",
            new[] { new SensorMapEntry(12001, 1, 1), new SensorMapEntry(12002, 2, 2) });
        Assert.Equal([12002], (await again.Content.ReadFromJsonAsync<SensorMapChangedDto>(Json.Options))!.ChangedDevices);
        var map = await _ann.GetFromJsonAsync<SensorMapDto>($"/api/athletes/{_athlete}/sensor-map", Json.Options);
        Assert.Equal([new SensorMapEntry(12001, 1, 1), new SensorMapEntry(12002, 2, 2)], map!.Sensors);
    }

    [Theory]
    [InlineData("[{\"device\": 0, \"muscle\": 1, \"side\": 1}]", "device 0")]
    [InlineData("[{\"device\": 5, \"muscle\": 1, \"side\": 3}]", "side 3")]
    [InlineData("[{\"device\": 5, \"muscle\": 1, \"side\": 1}, {\"device\": 5, \"muscle\": 2, \"side\": 1}]", "appears twice")]
    [InlineData("{\"device\": 5}", "malformed JSON")]
    public async Task BadSensorMapsAreRefusedWithTheReason(string body, string reason)
    {
        var coach = await _server.CoachClientAsync("coach@example.com");
        var response = await coach.PutAsync($"/api/athletes/{_athlete}/sensor-map",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Contains(reason, problem!.Detail);
    }

    [Fact]
    public async Task CoachIssuesATokenThatUploads()
    {
        var coach = await _server.CoachClientAsync("coach@example.com");
        var response = await coach.PostAsync($"/api/athletes/{_athlete}/tokens", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<IssuedTokenDto>(Json.Options);
        var upload = await _server.AthleteClient(issued!.Token).UploadAsync(Rides.Synthetic(seed: 40, minutes: 5));
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var tokens = await coach.GetFromJsonAsync<List<TokenDto>>($"/api/athletes/{_athlete}/tokens", Json.Options);
        Assert.Equal(2, tokens!.Count);
        Assert.DoesNotContain(tokens, t => issued.Token == t.Prefix);
    }
}

/// <summary>Every test of <see cref="ReadingApiTests"/> against PostgreSQL.</summary>
[Trait("Database", "postgres")]
public sealed class ReadingApiTestsOnPostgres() : ReadingApiTests("postgres");
