using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NirsSync.Data;
using NirsSync.Server.Exports;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>One test per attack on accounts, browsers and limits (issue 12): each is named for what it prevents.</summary>
public sealed partial class SecurityTests : IAsyncLifetime
{
    private const string Coach = "coach@example.com";
    private readonly ServerFactory _server = new();
    private (Guid Id, string Token) _ann;

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync(Coach);
        _ann = await _server.AddAthleteAsync("Ann", Coach);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    private static string? CookieOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith("nirssync=", StringComparison.Ordinal)) : null;

    [Fact]
    public async Task SignOutEndsTheSessionOnTheServerSoAStolenCookieIsDead()
    {
        var client = _server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = Coach, password = "coach-password-1" });
        var cookie = CookieOf(login)!.Split(';')[0];
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/me") { Headers = { { "Cookie", cookie } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(me)).StatusCode);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout") { Headers = { { "Cookie", cookie }, { "Origin", ServerFactory.Origin } } };
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(logout)).StatusCode);
        // The same cookie, replayed as an attacker who copied it would.
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/me") { Headers = { { "Cookie", cookie } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(replay)).StatusCode);
    }

    [Fact]
    public async Task SessionCookieIsSecureOverHttpsAndStillWorksOverPlainHttp()
    {
        var https = _server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://nirs.example.org"), HandleCookies = false });
        var secure = CookieOf(await https.PostAsJsonAsync("/api/auth/login", new { email = Coach, password = "coach-password-1" }))!;
        Assert.Contains("secure", secure, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", secure, StringComparison.OrdinalIgnoreCase);
        var http = _server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var plain = CookieOf(await http.PostAsJsonAsync("/api/auth/login", new { email = Coach, password = "coach-password-1" }))!;
        Assert.DoesNotContain("secure", plain, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HstsIsSentOverHttpsOnly()
    {
        var https = _server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://nirs.example.org") });
        var response = await https.GetAsync("/health");
        Assert.StartsWith("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False((await _server.CreateClient().GetAsync("/health")).Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task UnknownAndKnownAccountsFailSignInWithTheSameAnswer()
    {
        var client = _server.CreateClient();
        var known = await client.PostAsJsonAsync("/api/auth/login", new { email = Coach, password = "wrong-password-1" });
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.com", password = "wrong-password-1" });
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (known.StatusCode, unknown.StatusCode));
        var a = await known.Content.ReadFromJsonAsync<ProblemDetails>();
        var b = await unknown.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal((a!.Title, a.Detail), (b!.Title, b.Detail));
    }

    [Fact]
    public async Task SignInFloodFromOneAddressIsAnswered429WithRetryAfter()
    {
        using var strict = new ServerFactory { SignInPerAddressPerMinute = 3 };
        var client = strict.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { email = $"x{i}@example.com", password = "guess-guess-1" })).StatusCode);
        var refused = await client.PostAsJsonAsync("/api/auth/login", new { email = "x9@example.com", password = "guess-guess-1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UploadFloodIsLimitedPerAthleteWithRetryAfterWhileOtherAthletesStillUpload()
    {
        await using var limited = _server.WithWebHostBuilder(b => b.UseSetting("NirsSync:RateLimits:UploadsPerAthletePerMinute", "2"));
        var ann = limited.CreateClient();
        ann.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _ann.Token);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Accepted, (await ann.UploadAsync(Rides.Synthetic(seed: 200 + i, minutes: 3))).StatusCode);
        var refused = await ann.UploadAsync(Rides.Synthetic(seed: 210, minutes: 3));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        var benAthlete = await _server.AddAthleteAsync("Ben", Coach);
        var ben = limited.CreateClient();
        ben.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", benAthlete.Token);
        Assert.Equal(HttpStatusCode.Accepted, (await ben.UploadAsync(Rides.Synthetic(seed: 211, minutes: 3))).StatusCode);
    }

    [Fact]
    public async Task TokenIssuingIsRateLimitedPerAccount()
    {
        await using var limited = _server.WithWebHostBuilder(b => b.UseSetting("NirsSync:RateLimits:TokenChangesPerAccountPerMinute", "2"));
        var coach = limited.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal(HttpStatusCode.NoContent, (await coach.PostAsJsonAsync("/api/auth/login", new { email = Coach, password = "coach-password-1" })).StatusCode);
        coach.DefaultRequestHeaders.Add("Origin", ServerFactory.Origin);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Created, (await coach.PostAsync($"/api/athletes/{_ann.Id}/tokens", null)).StatusCode);
        var refused = await coach.PostAsync($"/api/athletes/{_ann.Id}/tokens", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData("null", null)]
    [InlineData(null, "https://evil.example/page")]
    [InlineData(null, null)]
    public async Task CrossSiteRequestWithTheCookieIsRefusedAndIssuesNoToken(string? origin, string? referer)
    {
        var coach = await _server.CoachClientAsync(Coach);
        coach.DefaultRequestHeaders.Remove("Origin");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/athletes/{_ann.Id}/tokens");
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (referer is not null) request.Headers.Referrer = new Uri(referer);
        var response = await coach.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Cross-site request refused", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
        await using var scope = _server.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<NirsDbContext>().UploadTokens.CountAsync(t => t.AthleteId == _ann.Id));
        // From the server's own pages the same request works.
        using var own = new HttpRequestMessage(HttpMethod.Post, $"/api/athletes/{_ann.Id}/tokens") { Headers = { { "Origin", ServerFactory.Origin } } };
        Assert.Equal(HttpStatusCode.Created, (await coach.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task SignInPostedFromAForeignSiteIsRefused()
    {
        var client = _server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { email = Coach, password = "coach-password-1" }),
            Headers = { { "Origin", "https://evil.example" } },
        };
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(CookieOf(response));
    }


    [Fact]
    public async Task PagesCarryAContentSecurityPolicyThatAllowsOnlyTheirOwnStyleAndForbidsFraming()
    {
        var client = _server.CreateClient();
        var response = await client.GetAsync("/login");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        // The dashboard's style and script are files of its own (wwwroot/assets): no inline style to allow by hash.
        Assert.DoesNotContain("<style", await response.Content.ReadAsStringAsync());
        Assert.Contains("style-src 'self'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var api = await client.GetAsync("/api/me");
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public void StalledUploadBodiesAreCutOffByAMinimumDataRate()
    {
        var limits = _server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(1024, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.MinRequestBodyDataRate.GracePeriod);
    }

    [Fact]
    public async Task UploadShorterThanItsDeclaredLengthIsRefusedNotPadded()
    {
        var client = _server.AthleteClient(_ann.Token);
        var ride = Rides.Synthetic(seed: 220, minutes: 3);
        var content = new StreamContent(new MemoryStream(ride));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = ride.Length + 1000;
        var response = await client.PostAsync("/api/uploads", content);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest, $"answered {response.StatusCode}");
    }

    [Fact]
    public void DataFolderAndDatabaseAreReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(DataFolder.FolderMode, File.GetUnixFileMode(_server.DataDirectory));
        Assert.Equal(DataFolder.OwnerFileMode, File.GetUnixFileMode(Path.Combine(_server.DataDirectory, "nirssync.db")));
        Assert.Equal(DataFolder.FolderMode, File.GetUnixFileMode(Path.Combine(_server.DataDirectory, "keys")));
    }

    [Fact]
    public void CsvTextCellsThatSpreadsheetsWouldRunAreNeutralisedWhileNegativeNumbersStayNumbers()
    {
        var line = new Csv().Row("=HYPERLINK(\"http://evil\")", "+1+2", "-cmd", "@SUM(A1)", "\tx", "\rx", "plain", -3.5, -2, "rider-1").ToString();
        Assert.Equal("\"'=HYPERLINK(\"\"http://evil\"\")\",'+1+2,'-cmd,'@SUM(A1),'\tx,\"'\rx\",plain,-3.5,-2,rider-1\r\n", line);
    }
}
