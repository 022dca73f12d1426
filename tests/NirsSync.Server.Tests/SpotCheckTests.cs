using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NirsSync.Analysis;
using NirsSync.Data.Documents;
using NirsSync.Fit.Synthetic;
using NirsSync.Server.Athletes;
using NirsSync.Server.SpotChecks;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>Resting spot checks through the API, from the data field's assessment mode, sensor-map placements and healthy periods.</summary>
public sealed class SpotCheckTests : IAsyncLifetime
{
    private readonly ServerFactory _server = new();
    private Guid _athlete;
    private HttpClient _coach = null!;
    private HttpClient _ann = null!;

    private const string CalfAndThigh = """
        {"takenAt": "2026-11-02T07:30:00+01:00", "condition": "rest", "note": "morning, seated",
         "entries": [
           {"muscle": "gastrocnemius_medial_head", "side": "left", "smo2": 57, "thb": 12.1},
           {"muscle": "gastrocnemius_lateral_head", "side": "left", "smo2": 63, "thb": 11.8},
           {"muscle": "gastrocnemius_medial_head", "side": "right", "smo2": 60, "thb": 12.4},
           {"muscle": "gastrocnemius_lateral_head", "side": "right", "smo2": 61},
           {"muscle": "vastus_lateralis", "side": "left", "smo2": 70, "thb": 13.0},
           {"muscle": "vastus_medialis", "side": "left", "smo2": 66, "thb": 12.5}]}
        """;

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync("coach@example.com");
        (_athlete, var token) = await _server.AddAthleteAsync("Ann", "coach@example.com");
        _coach = await _server.CoachClientAsync("coach@example.com");
        _ann = _server.AthleteClient(token);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    private Task<HttpResponseMessage> PostAsync(string json) => _coach.PostAsync($"/api/athletes/{_athlete}/spot-checks",
        new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task PostedSpotCheckIsStoredWithEveryPartnerRatio()
    {
        var response = await PostAsync(CalfAndThigh);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var check = (await response.Content.ReadFromJsonAsync<SpotCheckDto>(Json.Options))!;
        Assert.Equal($"/api/athletes/{_athlete}/spot-checks/{check.Id}", response.Headers.Location!.ToString());
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 6, 30, 0, TimeSpan.Zero), check.TakenAt);
        Assert.Equal(("rest", "morning, seated", "api"), (check.Condition, check.Note, check.Source));
        Assert.Equal(6, check.Entries.Count);
        Assert.Null(check.Entries[3].THb);

        // Left/right of both gastrocnemius heads, medial/lateral on both sides, VL/VM on the left: five pairs.
        string Key(SpotCheckRatioDto r) => $"{r.Relation}:{r.A.Muscle}/{r.A.Side}-{r.B.Muscle}/{r.B.Side}";
        var ratios = check.Ratios.ToDictionary(Key);
        Assert.Equal(5, ratios.Count);
        var gmLr = ratios["left_right:gastrocnemius_medial_head/left-gastrocnemius_medial_head/right"];
        Assert.Equal((-3, 0.95), (gmLr.Difference, gmLr.Ratio!.Value));
        Assert.Equal(-0.3, gmLr.ThbDifference!.Value, 6);
        var glLr = ratios["left_right:gastrocnemius_lateral_head/left-gastrocnemius_lateral_head/right"];
        Assert.Equal(2, glLr.Difference);
        Assert.Null(glLr.ThbDifference);
        var left = ratios["gastrocnemius_medial_lateral:gastrocnemius_medial_head/left-gastrocnemius_lateral_head/left"];
        Assert.Equal((-6, 0.9048), (left.Difference, left.Ratio!.Value));
        Assert.Equal(-1, ratios["gastrocnemius_medial_lateral:gastrocnemius_medial_head/right-gastrocnemius_lateral_head/right"].Difference);
        var vlvm = ratios["vastus_lateralis_medialis:vastus_lateralis/left-vastus_medialis/left"];
        Assert.Equal((4, 1.0606), (vlvm.Difference, vlvm.Ratio!.Value));

        var listed = await _ann.GetFromJsonAsync<List<SpotCheckDto>>($"/api/athletes/{_athlete}/spot-checks", Json.Options);
        Assert.Equal(check.Id, Assert.Single(listed!).Id);
        Assert.Equal(5, listed![0].Ratios.Count);
    }

    [Fact]
    public async Task DeletedSpotCheckIsGone()
    {
        var check = (await (await PostAsync(CalfAndThigh)).Content.ReadFromJsonAsync<SpotCheckDto>(Json.Options))!;
        var url = $"/api/athletes/{_athlete}/spot-checks/{check.Id}";
        Assert.Equal(HttpStatusCode.OK, (await _coach.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _coach.DeleteAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _coach.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _coach.DeleteAsync(url)).StatusCode);
        Assert.Empty((await _coach.GetFromJsonAsync<List<SpotCheckDto>>($"/api/athletes/{_athlete}/spot-checks", Json.Options))!);
    }

    [Theory]
    [InlineData("""{"takenAt": "2026-11-02T07:30:00Z", "entries": [{"muscle": "biceps_brachii", "side": "left", "smo2": 57}]}""", "entries[0]: muscle 'biceps_brachii'")]
    [InlineData("""{"takenAt": "2026-11-02T07:30:00Z", "entries": [{"muscle": "vastus_lateralis", "side": "middle", "smo2": 57}]}""", "entries[0]: side 'middle'")]
    [InlineData("""{"takenAt": "2026-11-02T07:30:00Z", "entries": [{"muscle": "vastus_lateralis", "side": "left", "smo2": 57}, {"muscle": "vastus_medialis", "side": "left", "smo2": 101}]}""", "entries[1] (vastus_medialis left): smo2 101")]
    [InlineData("""{"takenAt": "2026-11-02T07:30:00Z", "entries": [{"muscle": "vastus_lateralis", "side": "left", "smo2": -1}]}""", "smo2 -1")]
    [InlineData("""{"takenAt": "2026-11-02T07:30:00Z", "entries": [{"muscle": "vastus_lateralis", "side": "left", "smo2": 57, "thb": 41}]}""", "entries[0] (vastus_lateralis left): thb 41")]
    [InlineData("""{"takenAt": "2026-11-02T07:30:00Z", "entries": [{"muscle": "vastus_lateralis", "side": "left", "smo2": 57}, {"muscle": "vastus_lateralis", "side": "left", "smo2": 58}]}""", "entries[1]: vastus_lateralis left appears twice (also entries[0])")]
    [InlineData("""{"takenAt": "2026-11-02T07:30:00Z", "entries": [{"side": "left", "smo2": 57}]}""", "entries[0]: muscle '(missing)'")]
    [InlineData("""{"entries": [{"muscle": "vastus_lateralis", "side": "left", "smo2": 57}]}""", "takenAt is required")]
    [InlineData("""{"takenAt": "2026-11-02T07:30:00Z", "entries": []}""", "entries must list")]
    [InlineData("""{"takenAt": "2026-11-02T07:30:00Z", "condition": "asleep", "entries": [{"muscle": "vastus_lateralis", "side": "left", "smo2": 57}]}""", "condition 'asleep'")]
    [InlineData("""[1, 2]""", "malformed JSON")]
    public async Task BadSpotChecksAreRefusedNamingTheEntry(string body, string reason)
    {
        var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        Assert.Empty((await _coach.GetFromJsonAsync<List<SpotCheckDto>>($"/api/athletes/{_athlete}/spot-checks", Json.Options))!);
    }

    [Fact]
    public async Task AssessmentModeRideBecomesASpotCheckOfItsSites()
    {
        AssessmentSite[] sites =
        [
            new(Muscle.GastrocnemiusMedialHead, Side.Left, 57, 12.1), new(Muscle.GastrocnemiusLateralHead, Side.Left, 63, 11.8),
            new(Muscle.GastrocnemiusMedialHead, Side.Right, 60, 12.4), new(Muscle.GastrocnemiusLateralHead, Side.Right, 61, 11.9),
        ];
        var taken = new DateTimeOffset(2026, 11, 3, 6, 0, 0, TimeSpan.Zero);
        var upload = await (await _ann.UploadAsync(SyntheticAssessment.Generate(taken, sites))).Content
            .ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        var processed = await _ann.WaitProcessedAsync(upload!.Id);
        Assert.NotNull(processed.RideId);

        var check = Assert.Single((await _ann.GetFromJsonAsync<List<SpotCheckDto>>($"/api/athletes/{_athlete}/spot-checks", Json.Options))!);
        Assert.Equal(("data_field", "rest", processed.RideId), (check.Source, check.Condition, check.RideId));
        // The first site completes after 4 s of placement and a 30 s hold.
        Assert.Equal(taken.AddSeconds(34), check.TakenAt);
        Assert.Equal(["gastrocnemius_medial_head/left", "gastrocnemius_lateral_head/left", "gastrocnemius_medial_head/right",
            "gastrocnemius_lateral_head/right"], check.Entries.Select(e => $"{e.Muscle}/{e.Side}"));
        for (var i = 0; i < sites.Length; i++)
        {
            Assert.InRange(check.Entries[i].SmO2!.Value, sites[i].SmO2 - 0.25, sites[i].SmO2 + 0.25);
            Assert.InRange(check.Entries[i].THb!.Value, sites[i].THb - 0.02, sites[i].THb + 0.02);
        }
        Assert.Equal(4, check.Ratios.Count);
        Assert.Contains(check.Ratios, r => r.Relation == "gastrocnemius_medial_lateral" && r.A.Side == "left" && Math.Abs(r.Difference + 6) < 0.5);
    }

    [Fact]
    public async Task SpotChecksHaveTheirOwnWeeklyTrend()
    {
        foreach (var (day, gm) in new[] { (2, 57), (9, 55), (16, 52) })
        {
            var body = $$"""{"takenAt": "2026-11-{{day:00}}T07:00:00Z", "entries": [{"muscle": "gastrocnemius_medial_head", "side": "left", "smo2": {{gm}}}, {"muscle": "gastrocnemius_medial_head", "side": "right", "smo2": 60}]}""";
            Assert.Equal(HttpStatusCode.Created, (await PostAsync(body)).StatusCode);
        }
        using var trends = JsonDocument.Parse(await _coach.GetStringAsync($"/api/athletes/{_athlete}/spot-checks/trends"));
        var muscles = trends.RootElement.GetProperty("muscles").EnumerateArray().ToList();
        var left = muscles.Single(m => m.GetProperty("subject").GetString() == "gastrocnemius_medial_head/left"
            && m.GetProperty("metric").GetString() == "rest_smo2");
        Assert.Equal([57.0, 55.0, 52.0], left.GetProperty("weeks").EnumerateArray().Select(w => w.GetProperty("value").GetDouble()));
        var pair = trends.RootElement.GetProperty("pairs").EnumerateArray()
            .Single(p => p.GetProperty("metric").GetString() == "rest_difference");
        Assert.Equal("gastrocnemius_medial_head/left|gastrocnemius_medial_head/right", pair.GetProperty("subject").GetString());
        Assert.Equal([-3.0, -5.0, -8.0], pair.GetProperty("weeks").EnumerateArray().Select(w => w.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task SensorMapTakesDatedPlacementsAndRefusesOverlappingOnes()
    {
        var moved = new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
        var map = $$"""
            [{"device": 12001, "muscle": 1, "side": 1, "to": "{{moved:O}}", "note": "first taping"},
             {"device": 12001, "muscle": 1, "side": 1, "from": "{{moved:O}}", "note": "re-taped 2 cm lower"},
             {"device": 12002, "muscle": 1, "side": 2}]
            """;
        var put = await _coach.PutAsync($"/api/athletes/{_athlete}/sensor-map", new StringContent(map, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = (await _coach.GetFromJsonAsync<SensorMapDto>($"/api/athletes/{_athlete}/sensor-map", Json.Options))!.Sensors;
        Assert.Equal(3, stored.Count);
        Assert.Equal((null, (DateTimeOffset?)moved, "first taping"), (stored[0].From, stored[0].To, stored[0].Note));
        Assert.Equal(((DateTimeOffset?)moved, (DateTimeOffset?)null, "re-taped 2 cm lower"), (stored[1].From, stored[1].To, stored[1].Note));
        // The undated entry is written as before: no from/to/note keys.
        Assert.DoesNotContain("\"from\"", JsonSerializer.Serialize(stored[2], AnalysisJson.Options));
        var placements = NirsSync.Data.Documents.SensorMap.Placements(stored);
        Assert.Equal(("vastus_lateralis/left", moved), (Assert.Single(placements).Subject, placements[0].From));

        var overlapping = $$"""[{"device": 12001, "muscle": 1, "side": 1, "to": "{{moved.AddDays(1):O}}"}, {"device": 12001, "muscle": 2, "side": 1, "from": "{{moved:O}}"}]""";
        var refused = await _coach.PutAsync($"/api/athletes/{_athlete}/sensor-map", new StringContent(overlapping, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("device 12001 has two placements whose periods overlap", await refused.Content.ReadAsStringAsync());
        var backwards = $$"""[{"device": 12001, "muscle": 1, "side": 1, "from": "{{moved:O}}", "to": "{{moved.AddDays(-1):O}}"}]""";
        var refusedToo = await _coach.PutAsync($"/api/athletes/{_athlete}/sensor-map", new StringContent(backwards, Encoding.UTF8, "application/json"));
        Assert.Contains("is not after from", await refusedToo.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthyPeriodsAreStoredAndBadOnesRefused()
    {
        var put = await _coach.PutAsync($"/api/athletes/{_athlete}/healthy-periods", new StringContent(
            """[{"from": "2026-09-01", "to": "2026-09-28"}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var got = (await _coach.GetFromJsonAsync<HealthyPeriodsDto>($"/api/athletes/{_athlete}/healthy-periods", Json.Options))!;
        Assert.Equal(new HealthyPeriodEntry(new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 28)), Assert.Single(got.Periods));
        var bad = await _coach.PutAsync($"/api/athletes/{_athlete}/healthy-periods", new StringContent(
            """[{"from": "2026-09-28", "to": "2026-09-01"}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("[0]: to 2026-09-01 is before from 2026-09-28", await bad.Content.ReadAsStringAsync());
    }
}
