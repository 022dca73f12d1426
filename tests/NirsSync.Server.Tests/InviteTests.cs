using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Server.Athletes;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// A coach's invite for the rider's own sign-in: a one-time link good for 7 days, only its hash stored, a new invite
/// revoking the last; the page creates the sign-in with the usual password rules and signs the rider in to their own pages.
/// </summary>
public sealed partial class InviteTests : IAsyncLifetime
{
    private readonly ServerFactory _server = new();
    private Guid _ann, _ben;

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync("coach@example.com");
        _ann = (await _server.AddAthleteAsync("Ann <b>Rider</b>", "coach@example.com")).Id;
        _ben = (await _server.AddAthleteAsync("Ben", "coach@example.com")).Id;
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> InviteAsync(Guid athlete)
    {
        var coach = await _server.CoachClientAsync("coach@example.com");
        var response = await coach.PostAsync($"/api/athletes/{athlete}/invites", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var invite = await response.Content.ReadFromJsonAsync<InviteDto>(Json.Options);
        Assert.InRange(invite!.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
        return invite.Link;
    }

    private HttpClient Browser()
    {
        var client = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add("Origin", ServerFactory.Origin);
        return client;
    }

    /// <summary>Opens the invite page and sends its form (with the page's antiforgery token).</summary>
    private static async Task<HttpResponseMessage> AcceptAsync(HttpClient browser, string link, string email, string password, string? confirm = null)
    {
        var page = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var token = Antiforgery().Match(html);
        Assert.True(token.Success, "the invite page has no antiforgery field");
        return await browser.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value), ["email"] = email, ["password"] = password,
            ["confirm"] = confirm ?? password,
        }));
    }

    [Fact]
    public async Task RiderAcceptsTheInviteOnceAndSeesOnlyTheirOwnPages()
    {
        var link = await InviteAsync(_ann);
        var rider = Browser();
        var form = await (await rider.GetAsync(link)).Content.ReadAsStringAsync();
        // The athlete's name is escaped on the page.
        Assert.Contains("Ann &lt;b&gt;Rider&lt;/b&gt;", form);
        var accepted = await AcceptAsync(rider, link, "ann@example.com", "ann-password-1");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal($"/dashboard/athletes/{_ann}", accepted.Headers.Location!.OriginalString);
        // Signed in as the rider: their own page, nobody else's.
        Assert.Equal(HttpStatusCode.OK, (await rider.GetAsync($"/dashboard/athletes/{_ann}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rider.GetAsync($"/dashboard/athletes/{_ben}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rider.GetAsync($"/api/athletes/{_ben}/trends")).StatusCode);
        var me = await rider.GetFromJsonAsync<Auth.MeDto>("/api/me", Json.Options);
        Assert.Equal(("athlete", _ann), (me!.Kind, me.AthleteId!.Value));
        // The rider cannot invite anyone (not a coach), and the link is spent.
        Assert.Equal(HttpStatusCode.Forbidden, (await rider.PostAsync($"/api/athletes/{_ann}/invites", null)).StatusCode);
        var again = await Browser().GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        // The same sign-in works on the ordinary sign-in form afterwards.
        var login = await _server.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "ann@example.com", password = "ann-password-1" });
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        // Only the hash of the code is stored.
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var stored = await db.AthleteInvites.SingleAsync(i => i.AthleteId == _ann);
        Assert.NotNull(stored.UsedAt);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(link["/invite/".Length..])), stored.Hash);
        // A second invite for a rider with a sign-in is refused.
        var coach = await _server.CoachClientAsync("coach@example.com");
        Assert.Equal(HttpStatusCode.Conflict, (await coach.PostAsync($"/api/athletes/{_ann}/invites", null)).StatusCode);
    }

    [Fact]
    public async Task UnknownUsedReplacedAndExpiredLinksGetTheSameAnswer()
    {
        var first = await InviteAsync(_ben);
        var second = await InviteAsync(_ben);
        var expired = await InviteAsync(_ann);
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            var invite = await db.AthleteInvites.SingleAsync(i => i.AthleteId == _ann);
            invite.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(Browser(), second, "ben@example.com", "ben-password-1")).StatusCode);
        var answers = new List<string>();
        foreach (var link in new[] { "/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", first, second, expired })
        {
            var response = await Browser().GetAsync(link);
            Assert.True(HttpStatusCode.NotFound == response.StatusCode, $"{link}: {response.StatusCode}");
            answers.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.Single(answers.Distinct());
        Assert.Contains("Invite not valid", answers[0]);
        // Posting a complete form (with a valid antiforgery token, taken from a live invite's page in the same
        // browser) to the spent link creates nothing either.
        var browser = Browser();
        var live = await InviteAsync(_ann);
        var token = Antiforgery().Match(await (await browser.GetAsync(live)).Content.ReadAsStringAsync());
        Assert.True(token.Success, "the invite page has no antiforgery field");
        var post = await browser.PostAsync(second, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value),
            ["email"] = "x@example.com", ["password"] = "x-password-1", ["confirm"] = "x-password-1",
        }));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Contains("Invite not valid", await post.Content.ReadAsStringAsync());
        await using var check = _server.Services.CreateAsyncScope();
        var users = check.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Data.CoachUser>>();
        Assert.Null(await users.FindByEmailAsync("x@example.com"));
    }

    [Fact]
    public async Task AWeakPasswordOrATakenEmailLeavesTheInviteOpen()
    {
        var link = await InviteAsync(_ben);
        var rider = Browser();
        var weak = await AcceptAsync(rider, link, "ben@example.com", "short");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("Passwords must be at least 10 characters", await weak.Content.ReadAsStringAsync());
        var differ = await AcceptAsync(rider, link, "ben@example.com", "ben-password-1", "ben-password-2");
        Assert.Contains("The two passwords differ", await differ.Content.ReadAsStringAsync());
        var taken = await AcceptAsync(rider, link, "coach@example.com", "ben-password-1");
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Contains("already exists", await taken.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(rider, link, "ben@example.com", "ben-password-1")).StatusCode);
    }

    [Fact]
    public async Task AnInviteFormFromAnotherSiteIsRefused()
    {
        var link = await InviteAsync(_ben);
        var foreign = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        foreign.DefaultRequestHeaders.Add("Origin", "https://evil.example");
        var response = await foreign.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "ben@example.com", ["password"] = "ben-password-1", ["confirm"] = "ben-password-1" }));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        // Without the page's antiforgery token, from this origin: 400, and the link stays good.
        var bare = await Browser().PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "ben@example.com", ["password"] = "ben-password-1", ["confirm"] = "ben-password-1" }));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Browser().GetAsync(link)).StatusCode);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex Antiforgery();
}
