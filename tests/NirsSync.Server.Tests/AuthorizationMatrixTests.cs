using System.Net;
using System.Net.Http.Json;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>Who may see what: athletes their own data, coaches their linked athletes, nobody anonymous.</summary>
public class AuthorizationMatrixTests(World world) : IClassFixture<World>
{
    /// <summary>AnnSignIn: Ann's own email/password sign-in (cookie); Dee: a self-coached rider's sign-in.</summary>
    public enum Who { Anonymous, Ann, Cid, Coach1, Coach2, AnnSignIn, Dee }
    public enum Whose { Ann, Ben, Cid, Dee }

    private static readonly string[] AthleteRoutes =
        ["", "/rides", "/trends", "/sensor-map", "/settings", "/pairs", "/rides.csv", "/trends.csv", "/tokens"];

    public static TheoryData<Who, Whose, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<Who, Whose, HttpStatusCode>();
        foreach (var who in Enum.GetValues<Who>())
        foreach (var whose in Enum.GetValues<Whose>())
            data.Add(who, whose, Expected(who, whose));
        return data;
    }

    private static HttpStatusCode Expected(Who who, Whose whose) => (who, whose) switch
    {
        (Who.Anonymous, _) => HttpStatusCode.Unauthorized,
        (Who.Ann or Who.AnnSignIn, Whose.Ann) or (Who.Cid, Whose.Cid) or (Who.Dee, Whose.Dee) => HttpStatusCode.OK,
        (Who.Coach1, Whose.Ann or Whose.Ben) or (Who.Coach2, Whose.Cid) => HttpStatusCode.OK,
        _ => HttpStatusCode.NotFound,
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EveryAthleteRouteAnswersByLink(Who who, Whose whose, HttpStatusCode expected)
    {
        var client = await ClientAsync(who);
        var id = whose switch { Whose.Ann => world.Ann.Id, Whose.Ben => world.Ben.Id, Whose.Cid => world.Cid.Id, _ => world.Dee.Id };
        foreach (var route in AthleteRoutes)
        {
            var response = await client.GetAsync($"/api/athletes/{id}{route}");
            Assert.True(expected == response.StatusCode, $"{who} GET athlete {whose}{route}: {response.StatusCode}, expected {expected}");
            if (expected != HttpStatusCode.OK)
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>The matrix over the athletes that have a ride (Ben has none).</summary>
    public static TheoryData<Who, Whose, HttpStatusCode> RideMatrix()
    {
        var data = new TheoryData<Who, Whose, HttpStatusCode>();
        foreach (var who in Enum.GetValues<Who>())
        foreach (var whose in new[] { Whose.Ann, Whose.Cid })
            data.Add(who, whose, Expected(who, whose));
        return data;
    }

    [Theory]
    [MemberData(nameof(RideMatrix))]
    public async Task RidesAndUploadsAnswerByLink(Who who, Whose whose, HttpStatusCode expected)
    {
        var client = await ClientAsync(who);
        var upload = whose == Whose.Ann ? world.AnnUpload : world.CidUpload;
        var ride = await client.GetAsync($"/api/rides/{upload.RideId}");
        Assert.True(expected == ride.StatusCode, $"{who} GET ride of {whose}: {ride.StatusCode}");
        var status = await client.GetAsync($"/api/uploads/{upload.Id}");
        Assert.True(expected == status.StatusCode, $"{who} GET upload of {whose}: {status.StatusCode}");
        // Changing a ride's efforts needs its coach (a self-coached rider's sign-in is one); a ride one may not see is 404.
        // The ride has no given efforts, so a permitted DELETE has nothing to do (200) and the shared world stays as it is.
        var efforts = await client.DeleteAsync($"/api/rides/{upload.RideId}/efforts");
        var mayChange = who is Who.Coach1 or Who.Coach2 or Who.Dee;
        var expectedEfforts = expected == HttpStatusCode.OK && !mayChange ? HttpStatusCode.Forbidden : expected;
        Assert.True(expectedEfforts == efforts.StatusCode, $"{who} DELETE efforts of {whose}'s ride: {efforts.StatusCode}, expected {expectedEfforts}");
        if (expectedEfforts != HttpStatusCode.OK)
            Assert.Equal("application/problem+json", efforts.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CoachCannotSeeUnlinkedAthlete()
    {
        var coach2 = await world.Server.CoachClientAsync(World.Coach2);
        var list = await coach2.GetFromJsonAsync<List<Athletes.AthleteDto>>("/api/athletes", Json.Options);
        Assert.Equal(["Cid"], list!.Select(a => a.Name));
        var response = await coach2.GetAsync($"/api/athletes/{world.Ann.Id}/rides");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Contains(world.Ann.Id.ToString(), problem!.Detail);
    }

    [Fact]
    public async Task CoachListsOnlyLinkedAthletes()
    {
        var coach1 = await world.Server.CoachClientAsync(World.Coach1);
        var list = await coach1.GetFromJsonAsync<List<Athletes.AthleteDto>>("/api/athletes", Json.Options);
        Assert.Equal(["Ann", "Ben"], list!.Select(a => a.Name));
        Assert.Equal(1, list![0].Rides);
    }

    [Fact]
    public async Task AthleteSeesOnlyThemself()
    {
        var ann = world.Server.AthleteClient(world.Ann.Token);
        var list = await ann.GetFromJsonAsync<List<Athletes.AthleteDto>>("/api/athletes", Json.Options);
        Assert.Equal([world.Ann.Id], list!.Select(a => a.Id));
    }

    [Fact]
    public async Task AthleteSignInIsTheAthleteNotACoach()
    {
        var ann = await world.Server.CoachClientAsync(World.AnnEmail, World.RiderPassword);
        var me = await ann.GetFromJsonAsync<Auth.MeDto>("/api/me", Json.Options);
        Assert.Equal("athlete", me!.Kind);
        Assert.Equal(world.Ann.Id, me.AthleteId);
        var list = await ann.GetFromJsonAsync<List<Athletes.AthleteDto>>("/api/athletes", Json.Options);
        Assert.Equal([world.Ann.Id], list!.Select(a => a.Id));
        // Coach-only actions stay with the coach: no tokens, no Hangfire.
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.PostAsync($"/api/athletes/{world.Ann.Id}/tokens", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task SelfCoachedRiderCoachesOnlyThemself()
    {
        var dee = await world.Server.CoachClientAsync(World.DeeEmail, World.RiderPassword);
        var list = await dee.GetFromJsonAsync<List<Athletes.AthleteDto>>("/api/athletes", Json.Options);
        Assert.Equal(["Dee"], list!.Select(a => a.Name));
        Assert.True((await dee.PostAsync($"/api/athletes/{world.Dee.Id}/tokens", null)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dee.PostAsync($"/api/athletes/{world.Ann.Id}/tokens", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dee.GetAsync($"/dashboard/athletes/{world.Ann.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dee.GetAsync($"/dashboard/athletes/{world.Dee.Id}")).StatusCode);
    }

    [Fact]
    public async Task AthleteSignInOpensOnlyTheirOwnDashboardPages()
    {
        var ann = await world.Server.CoachClientAsync(World.AnnEmail, World.RiderPassword);
        var home = await ann.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal($"/dashboard/athletes/{world.Ann.Id}", home.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await ann.GetAsync($"/dashboard/athletes/{world.Ann.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ann.GetAsync($"/dashboard/rides/{world.AnnUpload.RideId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ann.GetAsync($"/dashboard/athletes/{world.Ben.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ann.GetAsync($"/dashboard/rides/{world.CidUpload.RideId}")).StatusCode);
    }

    [Fact]
    public async Task WrongTokenIsRefusedWithProblem()
    {
        var client = world.Server.AthleteClient("nst_not-a-real-token");
        var response = await client.GetAsync("/api/athletes");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Equal("unknown or revoked upload token", problem!.Detail);
    }

    [Fact]
    public async Task CoachCannotUpload()
    {
        var coach1 = await world.Server.CoachClientAsync(World.Coach1);
        var response = await coach1.UploadAsync(Rides.Synthetic(seed: 99, minutes: 5));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AthleteCannotIssueTokens()
    {
        var ann = world.Server.AthleteClient(world.Ann.Token);
        var response = await ann.PostAsync($"/api/athletes/{world.Ann.Id}/tokens", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CoachCannotIssueTokensForUnlinkedAthlete()
    {
        var coach2 = await world.Server.CoachClientAsync(World.Coach2);
        var response = await coach2.PostAsync($"/api/athletes/{world.Ann.Id}/tokens", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task CoachCannotEditUnlinkedAthletesSensorMap()
    {
        var coach2 = await world.Server.CoachClientAsync(World.Coach2);
        var response = await coach2.PutAsJsonAsync($"/api/athletes/{world.Ann.Id}/sensor-map",
            new[] { new { device = 12001, muscle = 1, side = 1 } });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HangfireDashboardIsForAdminsOnly()
    {
        var admin = await world.Server.CoachClientAsync(World.Coach1);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).StatusCode);
        var coach2 = await world.Server.CoachClientAsync(World.Coach2);
        Assert.Equal(HttpStatusCode.Forbidden, (await coach2.GetAsync("/hangfire")).StatusCode);
        var ann = world.Server.AthleteClient(world.Ann.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.GetAsync("/hangfire")).StatusCode);
        var anonymous = world.Server.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/hangfire")).StatusCode);
    }

    /// <summary>
    /// Token scopes: an upload token (a device, the sync agent) may upload and read its own athlete's data, but every
    /// change of pairs, sensor map, time zone, tokens or an export's offset needs the signed-in coach: 403 ProblemDetails for the token.
    /// The coach writes back the current values (so the shared world does not change) and revokes an unknown token (404).
    /// </summary>
    [Theory]
    [InlineData(Who.Ann, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(Who.Coach1, HttpStatusCode.OK, HttpStatusCode.NotFound)]
    [InlineData(Who.Anonymous, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    public async Task OnlyASignedInCoachChangesSettingsAnUploadTokenOnlyUploadsAndReads(Who who, HttpStatusCode put, HttpStatusCode revoke)
    {
        var client = await ClientAsync(who);
        var athlete = $"/api/athletes/{world.Ann.Id}";
        var writes = new (string What, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Expected)[]
        {
            ("PUT pairs", () => client.PutAsJsonAsync($"{athlete}/pairs", Array.Empty<object>()), put),
            ("PUT sensor-map", () => client.PutAsJsonAsync($"{athlete}/sensor-map", Array.Empty<object>()), put),
            ("PUT settings", () => client.PutAsJsonAsync($"{athlete}/settings", new { timeZone = "UTC" }), put),
            ("POST tokens", () => client.PostAsync($"{athlete}/tokens", null), put == HttpStatusCode.OK ? HttpStatusCode.Created : put),
            ("DELETE token", () => client.DeleteAsync($"{athlete}/tokens/{Guid.NewGuid()}"), revoke),
            ("DELETE ride efforts", () => client.DeleteAsync($"/api/rides/{world.AnnUpload.RideId}/efforts"), put),
            ("PUT ride efforts", () => client.PutAsJsonAsync($"/api/rides/{world.AnnUpload.RideId}/efforts",
                new { efforts = new[] { new { start_s = 0, end_s = -1 } } }), put == HttpStatusCode.OK ? HttpStatusCode.BadRequest : put),
            // Moving a sensor export on a ride re-analyses it: coach-only too (the coach's export id is unknown: 404).
            ("PUT export offset", () => client.PutAsJsonAsync($"/api/rides/{world.AnnUpload.RideId}/exports/{Guid.NewGuid()}/offset",
                new { offsetS = 1.5 }), revoke),
        };
        foreach (var (what, send, expected) in writes)
        {
            var response = await send();
            Assert.True(expected == response.StatusCode, $"{who} {what}: {response.StatusCode}, expected {expected}");
            if (expected != HttpStatusCode.OK && expected != HttpStatusCode.Created)
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        if (who == Who.Cid)
        {
            // What the token may do: read its athlete's data and upload. Cid's own (no other test counts Cid's rides,
            // while Ann's ride count is asserted by CoachListsOnlyLinkedAthletes in the same shared world).
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/athletes/{world.Cid.Id}/rides")).StatusCode);
            var upload = await client.UploadAsync(Rides.Synthetic(seed: 13, minutes: 5));
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        }
    }

    /// <summary>
    /// <c>POST /api/athletes/{id}/invites</c>: only the athlete's signed-in coach gets a link (201), and only for an athlete
    /// without a sign-in (Ann and self-coached Dee have one: 409). Upload tokens and the rider's own sign-in are 403,
    /// someone else's athlete 404, anonymous 401. The invite page itself is public: an unknown code is its 404 page.
    /// </summary>
    public static TheoryData<Who, Whose, HttpStatusCode> InviteMatrix()
    {
        var data = new TheoryData<Who, Whose, HttpStatusCode>();
        foreach (var who in Enum.GetValues<Who>())
        foreach (var whose in Enum.GetValues<Whose>())
            data.Add(who, whose, (who, whose) switch
            {
                (Who.Anonymous, _) => HttpStatusCode.Unauthorized,
                (Who.Ann or Who.AnnSignIn, Whose.Ann) or (Who.Cid, Whose.Cid) => HttpStatusCode.Forbidden,
                (Who.Dee, Whose.Dee) or (Who.Coach1, Whose.Ann) => HttpStatusCode.Conflict,
                (Who.Coach1, Whose.Ben) or (Who.Coach2, Whose.Cid) => HttpStatusCode.Created,
                _ => HttpStatusCode.NotFound,
            });
        return data;
    }

    [Theory]
    [MemberData(nameof(InviteMatrix))]
    public async Task OnlyTheLinkedCoachInvitesARiderToTheirOwnSignIn(Who who, Whose whose, HttpStatusCode expected)
    {
        var client = await ClientAsync(who);
        var id = whose switch { Whose.Ann => world.Ann.Id, Whose.Ben => world.Ben.Id, Whose.Cid => world.Cid.Id, _ => world.Dee.Id };
        var response = await client.PostAsync($"/api/athletes/{id}/invites", null);
        Assert.True(expected == response.StatusCode, $"{who} POST invites of {whose}: {response.StatusCode}, expected {expected}");
        if (expected == HttpStatusCode.Created)
        {
            var invite = await response.Content.ReadFromJsonAsync<Athletes.InviteDto>(Json.Options);
            Assert.Matches("^/invite/[A-Za-z0-9_-]{43}$", invite!.Link);
            Assert.Equal(invite.Link, response.Headers.Location!.OriginalString);
        }
        else Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var page = await client.GetAsync("/invite/not-a-real-invite-code");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("Invite not valid", await page.Content.ReadAsStringAsync());
    }

    private async Task<HttpClient> ClientAsync(Who who) => who switch
    {
        Who.Anonymous => world.Server.CreateClient(new() { AllowAutoRedirect = false }),
        Who.Ann => world.Server.AthleteClient(world.Ann.Token),
        Who.Cid => world.Server.AthleteClient(world.Cid.Token),
        Who.Coach1 => await world.Server.CoachClientAsync(World.Coach1),
        Who.Coach2 => await world.Server.CoachClientAsync(World.Coach2),
        Who.AnnSignIn => await world.Server.CoachClientAsync(World.AnnEmail, World.RiderPassword),
        _ => await world.Server.CoachClientAsync(World.DeeEmail, World.RiderPassword),
    };
}

/// <summary>
/// The whole matrix against PostgreSQL. (The inherited sqlite World fixture is built too and left unused: xunit
/// builds every class fixture a test class declares.)
/// </summary>
[Trait("Database", "postgres")]
public sealed class AuthorizationMatrixTestsOnPostgres(PostgresWorld world) : AuthorizationMatrixTests(world), IClassFixture<PostgresWorld>;
