using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NirsSync.Fit.Synthetic;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;
using NirsSync.Data.Documents;
using NirsSync.Server.Rides;

namespace NirsSync.Server.Tests;

/// <summary>The ingest job through the analysis core: channels with muscle and side, metrics, pairs, series, trends.</summary>
public class AnalysisIngestTests : IAsyncLifetime
{
    private readonly ServerFactory _server;

    public AnalysisIngestTests() : this("sqlite") { }

    /// <summary>The same tests on another provider ("postgres": see AnalysisIngestTestsOnPostgres).</summary>
    protected AnalysisIngestTests(string database) => _server = new() { Database = database };
    private Guid _athlete;
    private HttpClient _ann = null!;

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync("coach@example.com");
        (_athlete, var token) = await _server.AddAthleteAsync("Ann", "coach@example.com");
        _ann = _server.AthleteClient(token);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    private async Task<RideDto> IngestAsync(byte[] bytes)
    {
        var response = await _ann.UploadAsync(bytes);
        var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        var done = await _ann.WaitProcessedAsync(accepted!.Id);
        Assert.Equal(Data.UploadStatus.Processed, done.Status);
        return (await _ann.GetFromJsonAsync<RideDto>($"/api/rides/{done.RideId}", Json.Options))!;
    }

    [Fact]
    public async Task RideHasBothVastusLateralisChannelsTheirMetricsAndTheirPair()
    {
        var ride = await IngestAsync(Rides.Synthetic(seed: 51, minutes: 30));
        var channels = ride.Channels.EnumerateArray().ToList();
        Assert.Equal(2, channels.Count);
        Assert.Equal(["left", "right"], channels.Select(c => c.GetProperty("side").GetString()).Order());
        Assert.All(channels, c => Assert.Equal("vastus_lateralis", c.GetProperty("muscle").GetString()));
        Assert.Equal([12001u, 12002u], channels.Select(c => c.GetProperty("sensor").GetUInt32()).Order());
        foreach (var m in ride.Metrics.EnumerateArray())
        {
            var smo2 = m.GetProperty("smO2");
            Assert.InRange(smo2.GetProperty("p5").GetDouble(), 5, smo2.GetProperty("p50").GetDouble());
            Assert.InRange(smo2.GetProperty("p95").GetDouble(), smo2.GetProperty("p50").GetDouble(), 99);
            Assert.InRange(m.GetProperty("tHb").GetProperty("p50").GetDouble(), 10, 15);
        }
        Assert.Single(ride.Pairs.EnumerateArray());
        var series = ride.Series.GetProperty("channels").EnumerateArray().ToList();
        Assert.Equal(2, series.Count);
        var values = series[0].GetProperty("smo2").EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).ToList();
        Assert.True(values.Count > 500, $"only {values.Count} SmO2 points");
    }

    [Fact]
    public async Task SensorMapNamesUnlabelledSensorsAndReanalyzesTheirRides()
    {
        var bytes = SyntheticRide.Generate(new SyntheticRideOptions
        {
            Seed = 52, Duration = TimeSpan.FromMinutes(20), Sensors = [new(13001, 0, 0), new(13002, 0, 0)],
        });
        var ride = await IngestAsync(bytes);
        Assert.All(ride.Channels.EnumerateArray(), c => Assert.Equal("unknown", c.GetProperty("muscle").GetString()));
        // Changing the map needs the signed-in coach (an upload token gets 403, AuthorizationMatrixTests).
        var coach = await _server.CoachClientAsync("coach@example.com");
        var put = await coach.PutAsJsonAsync($"/api/athletes/{_athlete}/sensor-map",
            new[] { new SensorMapEntry(13001, 4, 1), new SensorMapEntry(13002, 4, 2) });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var now = await _ann.GetFromJsonAsync<RideDto>($"/api/rides/{ride.Id}", Json.Options);
            var muscles = now!.Channels.EnumerateArray().Select(c => $"{c.GetProperty("muscle").GetString()}/{c.GetProperty("side").GetString()}").Order().ToList();
            if (muscles.SequenceEqual(["biceps_femoris/left", "biceps_femoris/right"])) break;
            Assert.True(DateTime.UtcNow < deadline, $"ride not re-analyzed: {string.Join(", ", muscles)}");
            await Task.Delay(50);
        }
        var trends = await TrendWait.CurrentAsync(_ann, _athlete);
        Assert.Contains("biceps_femoris/left|biceps_femoris/right", trends.Trends!.Value.GetRawText());
    }

    [Fact]
    public async Task WeeklyTrendsHaveOneEntryPerWeekPerMuscleMetric()
    {
        var monday = new DateTimeOffset(2026, 10, 5, 6, 30, 0, TimeSpan.Zero);
        foreach (var (start, seed) in new[] { (monday, 61), (monday.AddDays(2), 62), (monday.AddDays(8), 63) })
            await IngestAsync(Rides.Synthetic(seed: seed, minutes: 20, start: start));
        var trends = await TrendWait.CurrentAsync(_ann, _athlete);
        var muscles = trends.Trends!.Value.GetProperty("muscles").EnumerateArray().ToList();
        var p50 = muscles.Single(m => m.GetProperty("subject").GetString() == "vastus_lateralis/left"
            && m.GetProperty("metric").GetString() == "smo2_p50");
        var weeks = p50.GetProperty("weeks").EnumerateArray().ToList();
        Assert.Equal(["2026-10-05", "2026-10-12"], weeks.Select(w => w.GetProperty("weekStart").GetString()));
        Assert.Equal([2, 1], weeks.Select(w => w.GetProperty("rides").GetInt32()));
        Assert.NotEmpty(trends.Trends!.Value.GetProperty("pairs").EnumerateArray());
        var csv = await _ann.GetStringAsync($"/api/athletes/{_athlete}/trends.csv");
        Assert.Contains("vastus_lateralis/left,muscle,smo2_p50,2026-W41,2026-10-05,2,", csv);
    }

    [Fact]
    public async Task DemoRiderWithGrowingDysbalanceIsFlaggedInTheLatestWeeks()
    {
        // Twelve weeks of three like-for-like one-hour interval rides (the first demo's plan; the demo itself now rides
        // varied sessions): balanced for nine weeks, then the right leg takes a growing share of the work.
        var now = new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.Zero);
        await Parallel.ForEachAsync(GrowingDysbalancePlan.Rides(now), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (options, _) => Assert.True((await _ann.UploadAsync(SyntheticRide.Generate(options))).IsSuccessStatusCode));
        var summary = await _ann.GetFromJsonAsync<UploadSummaryDto>("/api/uploads/summary", Json.Options);
        while (summary!.Pending > 0)
        {
            await Task.Delay(100);
            summary = await _ann.GetFromJsonAsync<UploadSummaryDto>("/api/uploads/summary", Json.Options);
        }
        Assert.Equal(36, summary.Processed);
        var trends = await TrendWait.CurrentAsync(_ann, _athlete);
        var asymmetry = trends.Trends!.Value.GetProperty("pairs").EnumerateArray()
            .Single(p => p.GetProperty("metric").GetString() == "asymmetry_p50");
        var weeks = asymmetry.GetProperty("weeks").EnumerateArray().ToList();
        Assert.Equal(12, weeks.Count);
        // Balanced for nine weeks, then the right leg takes over more and more of the work.
        Assert.DoesNotContain(weeks.Take(9), w => w.GetProperty("flag").GetBoolean());
        Assert.All(weeks.Skip(9), w => Assert.True(w.GetProperty("flag").GetBoolean(), w.GetRawText()));
        Assert.All(weeks.Take(9), w => Assert.InRange(Math.Abs(w.GetProperty("value").GetDouble()), 0, 5));
        Assert.InRange(Math.Abs(weeks[^1].GetProperty("value").GetDouble()), 15, 60);
    }
}

/// <summary>Every test of <see cref="AnalysisIngestTests"/> against PostgreSQL.</summary>
[Trait("Database", "postgres")]
public sealed class AnalysisIngestTestsOnPostgres() : AnalysisIngestTests("postgres");

/// <summary>Twelve weeks of interval rides, vastus lateralis left and right; the right leg over-used from week 9 on.</summary>
file static class GrowingDysbalancePlan
{
    public static IEnumerable<SyntheticRideOptions> Rides(DateTimeOffset now)
    {
        const int weeks = 12;
        var today = now.UtcDateTime.Date;
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var first = new DateTimeOffset(monday.AddDays(-7 * (weeks - 1)), TimeSpan.Zero);
        int[] days = [1, 3, 5];
        for (var week = 0; week < weeks; week++)
            for (var r = 0; r < days.Length; r++)
            {
                var start = first.AddDays(week * 7 + days[r] - 1).AddHours(6 + r);
                if (start > now) yield break;
                yield return new SyntheticRideOptions
                {
                    Start = start,
                    Seed = 2000 + week * 10 + r,
                    Duration = TimeSpan.FromMinutes(60),
                    ThresholdPower = 290 + week * 1.5,
                    IntervalSeconds = 240,
                    Sensors =
                    [
                        new SyntheticSensor(21001, 1, 1) { RestingSmO2 = 70 },
                        new SyntheticSensor(21002, 1, 2) { RestingSmO2 = 69, Load = week < 9 ? 1.0 : 1.7 + 0.15 * (week - 9) },
                    ],
                };
            }
    }
}
