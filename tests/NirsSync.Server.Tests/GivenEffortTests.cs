using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NirsSync.Data.Documents;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>PUT/DELETE /api/rides/{id}/efforts: work intervals given for a ride re-analyse it with them (source "given").</summary>
public sealed class GivenEffortTests : IAsyncLifetime
{
    private const string Coach = "coach@example.com";
    private const string OtherCoach = "other@example.com";

    /// <summary>The real Moxy recording's known work intervals (../shared/sensor-exports/README.md).</summary>
    private static readonly (double Start, double End)[] MoxyIntervals = [(124, 364), (486, 726), (848, 1088), (1210, 1450)];

    private readonly ServerFactory _server = new();
    private int _athletes;

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync(Coach);
        await _server.AddCoachAsync(OtherCoach);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(Guid Athlete, HttpClient Token, HttpClient Coach)> NewAthleteAsync()
    {
        var (id, token) = await _server.AddAthleteAsync($"Rider {++_athletes}", Coach);
        return (id, _server.AthleteClient(token), await _server.CoachClientAsync(Coach));
    }

    private static async Task<UploadStatusDto> UploadAndWaitAsync(HttpClient client, byte[] bytes)
    {
        var response = await client.UploadAsync(bytes);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        var done = await client.WaitProcessedAsync(accepted!.Id);
        Assert.Equal(Data.UploadStatus.Processed, done.Status);
        return done;
    }

    private static async Task<JsonElement> RideAsync(HttpClient client, Guid rideId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/rides/{rideId}");

    private static async Task<JsonElement> WaitRideAsync(HttpClient client, Guid rideId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var ride = await RideAsync(client, rideId);
            if (done(ride)) return ride;
            Assert.True(DateTime.UtcNow < deadline, $"ride {rideId} not as expected after 30 s: channels {ride.GetProperty("channels")}");
            await Task.Delay(50);
        }
    }

    /// <summary>Every effort of every channel of the ride: (start s, end s, source).</summary>
    private static List<(double Start, double End, string Source)> Efforts(JsonElement ride) =>
        ride.GetProperty("metrics").EnumerateArray()
            .SelectMany(m => m.GetProperty("efforts").EnumerateArray())
            .Select(e => (e.GetProperty("startS").GetDouble(), e.GetProperty("startS").GetDouble() + e.GetProperty("durationS").GetDouble(),
                e.GetProperty("source").GetString()!))
            .ToList();

    private static object Body(params (double Start, double End)[] intervals) =>
        new { efforts = intervals.Select(i => new { start_s = i.Start, end_s = i.End }).ToArray() };

    private static string SharedExport(string name) => Path.Combine(Rides.RepoRoot(), "..", "shared", "sensor-exports", name);

    [Fact]
    public async Task Intervals_given_for_a_real_moxy_recording_replace_its_efforts_and_clearing_them_finds_efforts_again()
    {
        var (athlete, token, coach) = await NewAthleteAsync();
        var upload = await UploadAndWaitAsync(token, File.ReadAllBytes(SharedExport("moxy_intervals.csv")));
        var rideId = upload.RideId!.Value;
        var before = await RideAsync(token, rideId);
        Assert.False(before.TryGetProperty("givenEfforts", out _));
        Assert.DoesNotContain(Efforts(before), e => e.Source == "given");
        var trendsBefore = await TrendWait.CurrentAsync(coach, athlete);

        var put = await coach.PutAsJsonAsync($"/api/rides/{rideId}/efforts", Body(MoxyIntervals));
        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        Assert.Equal($"/api/rides/{rideId}", put.Headers.Location!.OriginalString);
        var answered = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(MoxyIntervals, answered.GetProperty("givenEfforts").EnumerateArray()
            .Select(e => (e.GetProperty("startS").GetDouble(), e.GetProperty("endS").GetDouble())));

        var given = await WaitRideAsync(token, rideId, r => Efforts(r) is { Count: > 0 } e && e.All(x => x.Source == "given"));
        // The recording's one channel has exactly the four work intervals, at the seconds given.
        Assert.Equal(MoxyIntervals, Efforts(given).Select(e => (e.Start, e.End)));
        Assert.Equal(MoxyIntervals, given.GetProperty("givenEfforts").EnumerateArray()
            .Select(e => (e.GetProperty("startS").GetDouble(), e.GetProperty("endS").GetDouble())));
        var channel = Assert.Single(given.GetProperty("metrics").EnumerateArray());
        foreach (var effort in channel.GetProperty("efforts").EnumerateArray())
        {
            // Each interval is followed by two minutes of recovery: every half-time is measured (docs/metrics.md).
            var half = effort.GetProperty("halfTimeFromEndS");
            Assert.Equal(JsonValueKind.Number, half.ValueKind);
            Assert.InRange(half.GetDouble(), 1, 120);
        }
        Assert.Equal(4, channel.GetProperty("effortSummary").GetProperty("count").GetInt32());
        // The trends were recomputed from the re-analysed ride.
        var trendsAfter = await TrendWait.CurrentAsync(coach, athlete);
        Assert.True(trendsAfter.UpdatedAt > trendsBefore.UpdatedAt, $"{trendsAfter.UpdatedAt} after {trendsBefore.UpdatedAt}");

        var delete = await coach.DeleteAsync($"/api/rides/{rideId}/efforts");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        var automatic = await WaitRideAsync(token, rideId, r => Efforts(r).All(x => x.Source != "given"));
        Assert.False(automatic.TryGetProperty("givenEfforts", out _));
        Assert.Equal(Efforts(before), Efforts(automatic));
        // Nothing given any more: a second DELETE has nothing to do.
        Assert.Equal(HttpStatusCode.OK, (await coach.DeleteAsync($"/api/rides/{rideId}/efforts")).StatusCode);
    }

    [Fact]
    public async Task Given_efforts_survive_a_sensor_map_change_that_re_analyses_the_ride()
    {
        var (athlete, token, coach) = await NewAthleteAsync();
        var upload = await UploadAndWaitAsync(token, File.ReadAllBytes(SharedExport("moxy_intervals.csv")));
        var rideId = upload.RideId!.Value;
        // In the ride answer's names (startS, endS): what a GET shows can be sent back.
        var body = new { efforts = new[] { new { startS = 124.0, endS = 364.0 }, new { startS = 486.5, endS = 726.0 } } };
        Assert.Equal(HttpStatusCode.Accepted, (await coach.PutAsJsonAsync($"/api/rides/{rideId}/efforts", body)).StatusCode);
        await WaitRideAsync(token, rideId, r => Efforts(r) is { Count: > 0 } e && e.All(x => x.Source == "given"));

        // The Moxy's sensor (serial 1614) placed on the left vastus lateralis: the ride is re-analysed with the map.
        var map = new[] { new SensorMapEntry(1614, 1, 1) };
        Assert.Equal(HttpStatusCode.OK, (await coach.PutAsJsonAsync($"/api/athletes/{athlete}/sensor-map", map)).StatusCode);
        var remapped = await WaitRideAsync(token, rideId, r => r.GetProperty("channels").EnumerateArray()
            .All(c => c.GetProperty("muscle").GetString() == "vastus_lateralis"));
        var efforts = Efforts(remapped);
        Assert.All(efforts, e => Assert.Equal("given", e.Source));
        // Whole seconds from the first sample, at the recording's 2-s rows.
        Assert.Equal([124.0, 486.0], efforts.Select(e => e.Start));
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"efforts": [{"start_s": 100, "end_s": 200}, {"start_s": 300, "end_s": 300}]}""", "effort 2 (300-300 s): end_s must be after start_s" },
        { """{"efforts": [{"start_s": 500, "end_s": 400}]}""", "effort 1 (500-400 s): end_s must be after start_s" },
        { """{"efforts": [{"start_s": -5, "end_s": 60}]}""", "effort 1 (-5-60 s): start_s is negative" },
        { """{"efforts": [{"start_s": 10, "end_s": 60}, {"start_s": 1300, "end_s": 1400}]}""", "effort 2 (1300-1400 s) starts after the ride ends (" },
        { """{"efforts": [{"start_s": 10, "end_s": 200}, {"start_s": 150, "end_s": 300}]}""", "effort 2 (150-300 s) starts before effort 1 ends" },
        { """{"efforts": [{"start_s": 10, "end_s": 20}, {"start_s": "60", "end_s": 90}]}""", "effort 2: start_s must be a number" },
        { """{"efforts": [{"start_s": 10, "end_s": null}]}""", "effort 1: end_s must be a number" },
        { """{"efforts": [{"start_s": 10}]}""", "effort 1: end_s must be a number" },
        { """{"efforts": [5]}""", "effort 1 is not an object" },
        { """{"efforts": []}""", "efforts is empty" },
        { """[{"start_s": 10, "end_s": 20}]""", "the body must be {\"efforts\"" },
        { """{"efforts": [{"start_s": 10, "end_s": 20}""", "malformed JSON" },
        { "", "malformed JSON" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_intervals_answer_400_naming_the_entry_and_change_nothing(string body, string expected)
    {
        var (_, token, coach) = await NewAthleteAsync();
        var upload = await UploadAndWaitAsync(token, Rides.Synthetic(seed: 22, minutes: 20));
        var response = await coach.PutAsync($"/api/rides/{upload.RideId}/efforts", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Contains(expected, problem!.Detail, StringComparison.Ordinal);
        Assert.False((await RideAsync(token, upload.RideId!.Value)).TryGetProperty("givenEfforts", out _));
    }

    [Fact]
    public async Task More_than_two_hundred_intervals_answer_400()
    {
        var (_, token, coach) = await NewAthleteAsync();
        var upload = await UploadAndWaitAsync(token, Rides.Synthetic(seed: 23, minutes: 20));
        var many = Enumerable.Range(0, GivenEfforts.MaxEntries + 1).Select(i => (i * 5.0, i * 5.0 + 2)).ToArray();
        var response = await coach.PutAsJsonAsync($"/api/rides/{upload.RideId}/efforts", Body(many));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Equal("201 efforts; at most 200 per ride", problem!.Detail);
        // Exactly the limit is accepted.
        var ok = await coach.PutAsJsonAsync($"/api/rides/{upload.RideId}/efforts", Body(many[..^1]));
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
    }

    [Fact]
    public async Task An_upload_token_may_not_change_efforts_and_another_coach_cannot_see_the_ride()
    {
        var (_, token, coach) = await NewAthleteAsync();
        var upload = await UploadAndWaitAsync(token, Rides.Synthetic(seed: 24, minutes: 20));
        var route = $"/api/rides/{upload.RideId}/efforts";

        var byToken = await token.PutAsJsonAsync(route, Body((60, 120)));
        Assert.Equal(HttpStatusCode.Forbidden, byToken.StatusCode);
        Assert.Contains("upload token", (await byToken.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.Forbidden, (await token.DeleteAsync(route)).StatusCode);

        var other = await _server.CoachClientAsync(OtherCoach);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync(route, Body((60, 120)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync(route)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.PutAsJsonAsync($"/api/rides/{Guid.NewGuid()}/efforts", Body((60, 120)))).StatusCode);
        var anonymous = _server.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync(route, Body((60, 120)))).StatusCode);

        Assert.False((await RideAsync(token, upload.RideId!.Value)).TryGetProperty("givenEfforts", out _));
    }
}
