using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>/metrics: an admin coach's session, or a Prometheus scraper with NirsSync:MetricsToken; nobody else.</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private const string Token = "scrape-0123456789abcdef-0123456789abcdef";
    private readonly ServerFactory _base = new();
    private WebApplicationFactory<Program> _server = null!;

    public async Task InitializeAsync()
    {
        _server = _base.WithWebHostBuilder(b => b.UseSetting("NirsSync:MetricsToken", Token));
        await _base.AddCoachAsync("admin@example.com", admin: true);
        await _base.AddCoachAsync("coach@example.com");
        var (_, athleteToken) = await _base.AddAthleteAsync("Ann", "coach@example.com");
        // One upload through the server under test, so that its counters have something to show.
        var athlete = _server.CreateClient();
        athlete.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", athleteToken);
        Assert.Equal(HttpStatusCode.Accepted, (await athlete.UploadAsync(Rides.Synthetic(seed: 21, minutes: 5))).StatusCode);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        _base.Dispose();
        return Task.CompletedTask;
    }

    private static async Task<HttpResponseMessage> ScrapeAsync(HttpClient client, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await client.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("nirssync_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_right_scrape_token_reads_the_metrics_a_wrong_or_missing_one_is_401()
    {
        var scraper = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var ok = await ScrapeAsync(scraper, Token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var text = await ok.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE nirssync_uploads_accepted_total counter", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^nirssync_uploads_accepted_total(\{[^}]*\})? [1-9]", text);
        Assert.Matches(@"(?m)^nirssync_uploads_commits_total(\{[^}]*\})? [1-9]", text);
        Assert.Contains("nirssync_queue_depth", text, StringComparison.Ordinal);

        await AssertRefusedAsync(await ScrapeAsync(scraper, Token + "x"), HttpStatusCode.Unauthorized, "wrong metrics token");
        await AssertRefusedAsync(await ScrapeAsync(scraper, Token[..^1]), HttpStatusCode.Unauthorized, "wrong metrics token");
        var missing = await ScrapeAsync(scraper, null);
        await AssertRefusedAsync(missing, HttpStatusCode.Unauthorized, "Bearer <metrics token>");
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_admin_session_reads_the_metrics_another_coach_is_403_and_without_a_configured_token_a_bearer_is_401()
    {
        var admin = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync("/api/auth/login",
            new { email = "admin@example.com", password = "coach-password-1" })).StatusCode);
        var page = await ScrapeAsync(admin, null);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("nirssync_queue_depth", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var coach = await _base.CoachClientAsync("coach@example.com");
        await AssertRefusedAsync(await ScrapeAsync(coach, null), HttpStatusCode.Forbidden, "only an admin coach");

        // The base server has no MetricsToken: scraping by token is off, whatever the token.
        var untokened = _base.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await AssertRefusedAsync(await ScrapeAsync(untokened, Token), HttpStatusCode.Unauthorized, "scraping by token is off");
    }
}
