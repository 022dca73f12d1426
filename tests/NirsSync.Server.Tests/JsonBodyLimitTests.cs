using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// JSON request bodies are capped at 1 MiB (file uploads keep their own limit): 413 ProblemDetails naming the limit,
/// whether the size is declared or the body streams in without a length.
/// </summary>
public sealed class JsonBodyLimitTests : IAsyncLifetime
{
    private const int Limit = 1024 * 1024;
    private readonly ServerFactory _server = new();
    private Guid _athlete;
    private HttpClient _coach = null!;

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync("coach@example.com");
        (_athlete, _) = await _server.AddAthleteAsync("Ann", "coach@example.com");
        _coach = await _server.CoachClientAsync("coach@example.com");
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A spot check whose note makes the body about <paramref name="bytes"/> long.</summary>
    private static string SpotCheck(int bytes) =>
        "{\"takenAt\": \"2026-11-02T07:30:00+01:00\", \"condition\": \"rest\", \"note\": \""
        + new string('x', bytes) + "\", \"entries\": [{\"muscle\": \"vastus_lateralis\", \"side\": \"left\", \"smo2\": 70}]}";

    private static async Task AssertTooLargeAsync(HttpResponseMessage response, string what)
    {
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{what}: {response.StatusCode}, expected 413");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal(413, problem.Status);
        Assert.Contains($"{Limit} bytes", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_2_MiB_spot_check_or_settings_body_is_refused_with_413_naming_the_limit()
    {
        var spotCheck = await _coach.PostAsync($"/api/athletes/{_athlete}/spot-checks",
            new StringContent(SpotCheck(2 * Limit), Encoding.UTF8, "application/json"));
        await AssertTooLargeAsync(spotCheck, "POST spot-checks");

        var before = (await _coach.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/athletes/{_athlete}/settings")).GetProperty("timeZone").GetString();
        var settings = await _coach.PutAsync($"/api/athletes/{_athlete}/settings", new StringContent(
            "{\"timeZone\": \"Asia/Tokyo\", \"pad\": \"" + new string(' ', 2 * Limit) + "\"}", Encoding.UTF8, "application/json"));
        await AssertTooLargeAsync(settings, "PUT settings");
        var after = (await _coach.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/athletes/{_athlete}/settings")).GetProperty("timeZone").GetString();
        Assert.NotEqual("Asia/Tokyo", after);
        Assert.Equal(before, after); // nothing was written

        // A route that binds its body as a parameter (sign-in) is capped the same way.
        var anonymous = _server.CreateClient();
        var login = await anonymous.PostAsync("/api/auth/login", new StringContent(
            "{\"email\": \"coach@example.com\", \"password\": \"" + new string('p', 2 * Limit) + "\"}", Encoding.UTF8, "application/json"));
        await AssertTooLargeAsync(login, "POST login");
    }

    /// <summary>A body sent without Content-Length (chunked) is cut off as it passes the cap.</summary>
    [Fact]
    public async Task A_streamed_body_without_a_length_is_refused_once_it_passes_the_cap()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(SpotCheck(2 * Limit))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/athletes/{_athlete}/spot-checks") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await AssertTooLargeAsync(await _coach.SendAsync(request), "streamed POST spot-checks");
    }

    /// <summary>
    /// A file upload keeps its own, larger limit even when a client labels it JSON: the upload route answers for
    /// the content type (415), not the JSON cap (413).
    /// </summary>
    [Fact]
    public async Task A_file_upload_over_the_json_cap_is_not_cut_by_it()
    {
        var (_, token) = await _server.AddAthleteAsync("Ben", "coach@example.com");
        var fit = Rides.Synthetic(seed: 31, minutes: 720);
        Assert.True(fit.Length > Limit, $"{fit.Length} bytes");
        var content = new ByteArrayContent(fit);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await _server.AthleteClient(token).PostAsync("/api/uploads", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    /// <summary>Just under the cap the body is read and judged on its content (the note is too long: 400, not 413).</summary>
    [Fact]
    public async Task A_body_under_the_cap_is_read_and_validated()
    {
        var response = await _coach.PostAsync($"/api/athletes/{_athlete}/spot-checks",
            new StringContent(SpotCheck(Limit - 4096), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Contains("note has 1044480 characters", problem.Detail, StringComparison.Ordinal);
    }
}
