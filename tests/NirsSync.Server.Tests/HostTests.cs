using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>The host around the features: health, OpenAPI, the reference page, coach sign-in and lockout.</summary>
public sealed class HostTests(HostTests.Server server) : IClassFixture<HostTests.Server>
{
    public sealed class Server : IAsyncLifetime
    {
        public ServerFactory Factory { get; } = new();

        public async Task InitializeAsync()
        {
            await Factory.AddCoachAsync("coach@example.com");
            await Factory.AddCoachAsync("locked@example.com");
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task DataSwitchNamesTheDataFolderAsForTheAdminCommands()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"nirs-data-{Guid.NewGuid():N}");
        try
        {
            await using var app = NirsSync.Server.Hosting.NirsApp.Build(["--data", dir, "--urls", "http://127.0.0.1:0"]);
            var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NirsSync.Data.NirsOptions>>().Value;
            Assert.Equal(dir, options.DataDirectory);
            Assert.Equal(Path.Combine(dir, "nirssync.db"), options.DatabasePath);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task HealthOpenApiAndReferenceAreServedAnonymously()
    {
        var client = server.Factory.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health"));
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/api/uploads\"", openApi);
        Assert.Contains("\"/api/athletes/{athleteId}/trends\"", openApi);
        var reference = await client.GetAsync("/api-reference/");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("Scalar", await reference.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DashboardRedirectsAnonymousVisitorsToSignIn()
    {
        var client = server.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/login?ReturnUrl=%2Fdashboard", response.Headers.Location!.ToString());
    }

    /// <summary>
    /// Formerly five wrong passwords locked the account for everyone (and said so, revealing that it exists). Now
    /// failures are limited per address and account: past the limit that address gets 429 with Retry-After, while
    /// the account itself is never locked.
    /// </summary>
    [Fact]
    public async Task RepeatedWrongPasswordsAreThrottledPerAddressWithoutLockingTheAccount()
    {
        var client = server.Factory.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/auth/login", new { email = "locked@example.com", password = "not-the-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("wrong email or password", (await wrong.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        }
        var right = await client.PostAsJsonAsync("/api/auth/login", new { email = "locked@example.com", password = "coach-password-1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        Assert.DoesNotContain("locked", (await right.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        await using var scope = server.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Data.CoachUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByEmailAsync("locked@example.com"))!));
    }

    [Fact]
    public async Task CoachSignInAnswersWhoAmI()
    {
        var coach = await server.Factory.CoachClientAsync("coach@example.com");
        var me = await coach.GetFromJsonAsync<Auth.MeDto>("/api/me", Json.Options);
        Assert.Equal("coach", me!.Kind);
        Assert.Equal("coach@example.com", me.Email);
        Assert.False(me.IsAdmin);
    }

    [Fact]
    public async Task LoginWithoutPasswordIs400()
    {
        var client = server.Factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = "coach@example.com" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task MultipartWithoutAFileIs422()
    {
        await server.Factory.AddCoachAsync("multi@example.com");
        var (_, token) = await server.Factory.AddAthleteAsync("Mia", "multi@example.com");
        using var form = new MultipartFormDataContent { { new StringContent("hello"), "note" } };
        var response = await server.Factory.AthleteClient(token).PostAsync("/api/uploads", form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("no file part", problem!.Detail);
    }
}
