using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;
using NirsSync.Server.Athletes;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Tests;

/// <summary>The athlete's time zone: ISO weeks of the weekly trends, set through the settings route.</summary>
public sealed class AthleteSettingsTests : IAsyncLifetime
{
    private const string Coach1 = "coach1@example.com";
    private const string Coach2 = "coach2@example.com";
    private readonly ServerFactory _server = new();
    private Guid _ann;
    private HttpClient _annClient = null!;
    private HttpClient _cidClient = null!;

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

    [Fact]
    public async Task SundayLateUtcRideFallsInTheNextIsoWeekOnceTheAthleteIsInBerlin()
    {
        // Sunday 2026-10-11 23:30 UTC is Monday 01:30 in Berlin (CEST, UTC+2).
        var start = new DateTimeOffset(2026, 10, 11, 23, 30, 0, TimeSpan.Zero);
        var response = await _annClient.UploadAsync(Rides.Synthetic(seed: 71, minutes: 20, start: start));
        var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        Assert.Equal(Data.UploadStatus.Processed, (await _annClient.WaitProcessedAsync(accepted!.Id)).Status);

        var utc = await TrendWait.CurrentAsync(_annClient, _ann);
        Assert.Equal("UTC", utc.Trends!.Value.GetProperty("timeZone").GetString());
        Assert.Equal("2026-10-05", WeekStartOfLeftP50(utc));

        var coach = await _server.CoachClientAsync(Coach1);
        var put = await coach.PutAsJsonAsync($"/api/athletes/{_ann}/settings", new { timeZone = "Europe/Berlin" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(new SettingsDto(_ann, "Europe/Berlin"), await put.Content.ReadFromJsonAsync<SettingsDto>(Json.Options));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var berlin = await TrendWait.CurrentAsync(_annClient, _ann);
            if (berlin.Trends!.Value.GetProperty("timeZone").GetString() == "Europe/Berlin")
            {
                Assert.Equal("2026-10-12", WeekStartOfLeftP50(berlin));
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "trends not recomputed in Europe/Berlin after 30 s");
            await Task.Delay(50);
        }
        var athlete = await _annClient.GetFromJsonAsync<AthleteDto>($"/api/athletes/{_ann}", Json.Options);
        Assert.Equal("Europe/Berlin", athlete!.TimeZone);
        var csv = await _annClient.GetStringAsync($"/api/athletes/{_ann}/trends.csv");
        Assert.Contains("vastus_lateralis/left,muscle,smo2_p50,2026-W42,2026-10-12,1,", csv);
    }

    [Fact]
    public async Task RideWeekAndRidesCsvFollowTheAthletesIsoWeekAcrossAZoneChange()
    {
        // Sunday 2026-10-11 22:30 UTC is Monday 00:30 in Berlin (CEST): week of 10-05 in UTC, of 10-12 in Berlin.
        var coach = await _server.CoachClientAsync(Coach1);
        var put = await coach.PutAsJsonAsync($"/api/athletes/{_ann}/settings", new { timeZone = "Europe/Berlin" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var start = new DateTimeOffset(2026, 10, 11, 22, 30, 0, TimeSpan.Zero);
        var response = await _annClient.UploadAsync(Rides.Synthetic(seed: 72, minutes: 20, start: start));
        var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        Assert.Equal(Data.UploadStatus.Processed, (await _annClient.WaitProcessedAsync(accepted!.Id)).Status);

        async Task<(string Week, string CsvWeek)> WeekAsync()
        {
            var rides = await _annClient.GetFromJsonAsync<JsonElement>($"/api/athletes/{_ann}/rides");
            var csv = await _annClient.GetStringAsync($"/api/athletes/{_ann}/rides.csv");
            var line = csv.Split("\r\n")[1].Split(',');
            return (rides.EnumerateArray().Single().GetProperty("weekStart").GetString()!, line[2]);
        }

        Assert.Equal(("2026-10-12", "2026-W42"), await WeekAsync());
        Assert.Equal(HttpStatusCode.OK, (await coach.PutAsJsonAsync($"/api/athletes/{_ann}/settings", new { timeZone = "UTC" })).StatusCode);
        Assert.Equal(("2026-10-05", "2026-W41"), await WeekAsync());
    }

    [Fact]
    public void WeekOfARideIsItsIsoWeekInTheGivenZone()
    {
        var sunday = new DateTimeOffset(2026, 10, 11, 22, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 10, 12), Data.Documents.Weeks.WeekOf(sunday, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")));
        Assert.Equal(new DateOnly(2026, 10, 5), Data.Documents.Weeks.WeekOf(sunday, TimeZoneInfo.Utc));
        // Monday 03:00 UTC is still Sunday evening in New York.
        Assert.Equal(new DateOnly(2026, 10, 5), Data.Documents.Weeks.WeekOf(sunday.AddHours(4.5),
            TimeZoneInfo.FindSystemTimeZoneById("America/New_York")));
    }

    [Fact]
    public async Task UnknownTimeZoneIsRefusedNamingItAndTheZoneStays()
    {
        var put = await (await _server.CoachClientAsync(Coach1)).PutAsJsonAsync($"/api/athletes/{_ann}/settings", new { timeZone = "Mars/Olympus_Mons" });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("unknown time zone 'Mars/Olympus_Mons'", problem.GetProperty("detail").GetString());
        var settings = await _annClient.GetFromJsonAsync<SettingsDto>($"/api/athletes/{_ann}/settings", Json.Options);
        Assert.Equal("UTC", settings!.TimeZone);
    }

    [Fact]
    public async Task TheCoachSetsTheAthletesZoneTheTokenGets403AndOthersGet404()
    {
        var own = await (await _server.CoachClientAsync(Coach1)).PutAsJsonAsync($"/api/athletes/{_ann}/settings", new { timeZone = "America/New_York" });
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        // The athlete's upload token reads but may not change settings.
        Assert.Equal(HttpStatusCode.Forbidden, (await _annClient.PutAsJsonAsync($"/api/athletes/{_ann}/settings", new { timeZone = "Asia/Tokyo" })).StatusCode);
        var otherCoach = await _server.CoachClientAsync(Coach2);
        foreach (var stranger in new[] { otherCoach, _cidClient })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/athletes/{_ann}/settings")).StatusCode);
            var put = await stranger.PutAsJsonAsync($"/api/athletes/{_ann}/settings", new { timeZone = "Asia/Tokyo" });
            Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        }
        var coach = await _server.CoachClientAsync(Coach1);
        var settings = await coach.GetFromJsonAsync<SettingsDto>($"/api/athletes/{_ann}/settings", Json.Options);
        Assert.Equal("America/New_York", settings!.TimeZone);
    }

    private static string? WeekStartOfLeftP50(TrendsDto trends) => trends.Trends!.Value.GetProperty("muscles").EnumerateArray()
        .Single(m => m.GetProperty("subject").GetString() == "vastus_lateralis/left"
            && m.GetProperty("metric").GetString() == "smo2_p50")
        .GetProperty("weeks").EnumerateArray().Single().GetProperty("weekStart").GetString();
}
