using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data.Accounts;
using NirsSync.Data;
using NirsSync.Server.GarminConnect;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests.GarminConnect;

/// <summary>The Garmin Connect ping receiver and fetch job against a fake Garmin on loopback.</summary>
public sealed class GarminPingTests : IAsyncLifetime
{
    private const string ClientId = "nirssync-test-client";
    private const string WebhookSecret = "test-webhook-secret-0123456789abcdef";
    private readonly ServerFactory _base = new();
    private WebApplicationFactory<Program> _server = null!;
    private FakeGarmin _garmin = null!;
    private HttpClient _client = null!;
    private Guid _ann;

    public async Task InitializeAsync()
    {
        _garmin = await FakeGarmin.StartAsync();
        _server = WithGarmin(_base, _garmin.BaseUrl);
        _client = _server.CreateClient();
        _client.DefaultRequestHeaders.Add("garmin-client-id", ClientId);
        _client.DefaultRequestHeaders.Add(GarminOptions.WebhookSecretHeader, WebhookSecret);
        await using var scope = _server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountService>().AddCoachAsync("coach@example.com", "coach-password-1", admin: true);
        _ann = (await scope.ServiceProvider.GetRequiredService<AccountService>().AddAthleteAsync("Ann", "coach@example.com")).Athlete.Id;
        await scope.ServiceProvider.GetRequiredService<GarminLinks>().LinkAsync(_ann, "garmin-user-ann", "access-ann");
    }

    private static WebApplicationFactory<Program> WithGarmin(ServerFactory factory, string garminBaseUrl) =>
        factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("NirsSync:Garmin:ClientId", ClientId);
            b.UseSetting("NirsSync:Garmin:WebhookSecret", WebhookSecret);
            b.UseSetting("NirsSync:Garmin:AllowedCallbackPrefixes:0", garminBaseUrl);
            b.UseSetting("NirsSync:Garmin:RetryBaseSeconds", "0.2");
            b.UseSetting("NirsSync:Garmin:MaxAttempts", "4");
        });

    private async Task<GarminPingResult> PingAsync(string json)
    {
        var response = await _client.PostAsync("/api/garmin/activity-files", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<GarminPingResult>())!;
    }

    private async Task<List<GarminActivityFile>> FilesAsync(WebApplicationFactory<Program>? server = null)
    {
        await using var scope = (server ?? _server).Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NirsDbContext>().Set<GarminActivityFile>().AsNoTracking()
            .OrderBy(f => f.SummaryId).ToListAsync();
    }

    private async Task<List<Upload>> UploadsAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NirsDbContext>().Uploads.AsNoTracking()
            .Where(u => u.AthleteId == _ann).ToListAsync();
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within 60 s");
            await Task.Delay(100);
        }
    }

    private Task SettledAsync(int count) => Eventually(async () =>
    {
        var files = await FilesAsync();
        return files.Count == count && files.All(f => f.Status != GarminFileStatus.Pending);
    }, $"{count} Garmin files settled");

    [Fact]
    public async Task PingIsAnsweredAtOnceAndEachFitFileIsFetchedWithTheAthletesTokenAndIngested()
    {
        var rideA = Rides.Synthetic(seed: 31, minutes: 10);
        var rideB = Rides.Synthetic(seed: 32, minutes: 10);
        var result = await PingAsync(FakeGarmin.Ping(
            ("garmin-user-ann", "1001-file", _garmin.Offer("1001", rideA, "access-ann"), "FIT"),
            ("garmin-user-ann", "1002-file", _garmin.Offer("1002", rideB, "access-ann"), "FIT"),
            ("garmin-user-ann", "1003-file", _garmin.Offer("1003", [1, 2, 3], "access-ann"), "TCX")));
        Assert.Equal(new GarminPingResult(2, 0, 1, 0), result);

        await SettledAsync(3);
        var files = await FilesAsync();
        Assert.Equal([GarminFileStatus.Fetched, GarminFileStatus.Fetched, GarminFileStatus.Skipped], files.Select(f => f.Status));
        Assert.Equal("file type TCX is not FIT; NirsSync reads only FIT files", files[2].Reason);
        Assert.Equal(1, _garmin.Downloads["1001"]);
        Assert.Equal(1, _garmin.Downloads["1002"]);
        Assert.False(_garmin.Downloads.ContainsKey("1003"));
        Assert.Equal(new DateTimeOffset(2026, 9, 21, 14, 13, 20, TimeSpan.Zero), files[0].StartTime);

        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await TokenAsync()));
        foreach (var file in files.Take(2))
            Assert.Equal(UploadStatus.Processed, (await client.WaitProcessedAsync(file.UploadId!.Value)).Status);
        var uploads = await UploadsAsync();
        Assert.Equal(["garmin-1001-file.fit", "garmin-1002-file.fit"], uploads.Select(u => u.FileName).Order());
    }

    [Fact]
    public async Task RepeatedPingIsFetchedOnceAndTheSameRideUnderAnotherSummaryIsDedupedByTheUploadPath()
    {
        var ride = Rides.Synthetic(seed: 41, minutes: 10);
        var ping = FakeGarmin.Ping(("garmin-user-ann", "2001-file", _garmin.Offer("2001", ride, "access-ann"), "FIT"));
        Assert.Equal(new GarminPingResult(1, 0, 0, 0), await PingAsync(ping));
        Assert.Equal(new GarminPingResult(0, 1, 0, 0), await PingAsync(ping));
        await SettledAsync(1);
        Assert.Equal(new GarminPingResult(0, 1, 0, 0), await PingAsync(ping));

        await PingAsync(FakeGarmin.Ping(("garmin-user-ann", "2002-file", _garmin.Offer("2002", ride, "access-ann"), "FIT")));
        await SettledAsync(2);
        var files = await FilesAsync();
        Assert.All(files, f => Assert.Equal(GarminFileStatus.Fetched, f.Status));
        Assert.Equal(files[0].UploadId, files[1].UploadId);
        Assert.Equal("already uploaded (same SHA-256)", files[1].Reason);
        Assert.Single(await UploadsAsync());
        Assert.Equal(1, _garmin.Downloads["2001"]);
    }

    [Fact]
    public async Task FailingCallbackIsRetriedUntilItAnswers()
    {
        var url = _garmin.Offer("3001", Rides.Synthetic(seed: 51, minutes: 10), "access-ann");
        _garmin.FailNext("3001", 2);
        await PingAsync(FakeGarmin.Ping(("garmin-user-ann", "3001-file", url, "FIT")));
        await SettledAsync(1);
        var file = (await FilesAsync()).Single();
        Assert.Equal((GarminFileStatus.Fetched, 3), (file.Status, file.Attempts));
        Assert.Single(await UploadsAsync());
    }

    [Fact]
    public async Task RetriesStopAfterTheLimitWithTheLastErrorRecorded()
    {
        var url = _garmin.Offer("3501", Rides.Synthetic(seed: 55, minutes: 10), "access-ann");
        _garmin.FailNext("3501", 100);
        await PingAsync(FakeGarmin.Ping(("garmin-user-ann", "3501-file", url, "FIT")));
        await SettledAsync(1);
        var file = (await FilesAsync()).Single();
        Assert.Equal((GarminFileStatus.Failed, 4), (file.Status, file.Attempts));
        Assert.StartsWith("gave up after 4 attempts; last: ", file.Reason);
        Assert.Contains("answered 503", file.Reason);
        Assert.Empty(await UploadsAsync());
    }

    [Fact]
    public async Task UsedCallbackUnlinkedUserForeignUrlAndWrongTokenAreRecordedNotRetried()
    {
        var used = _garmin.Offer("4001", Rides.Synthetic(seed: 61, minutes: 10), "access-ann");
        using (var direct = new HttpClient())
        {
            direct.DefaultRequestHeaders.Authorization = new("Bearer", "access-ann");
            Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync(used)).StatusCode);
        }
        var wrongToken = _garmin.Offer("4004", Rides.Synthetic(seed: 64, minutes: 10), "someone-else");
        var result = await PingAsync(FakeGarmin.Ping(
            ("garmin-user-ann", "4001-file", used, "FIT"),
            ("garmin-user-bob", "4002-file", _garmin.Offer("4002", Rides.Synthetic(seed: 62), "access-bob"), "FIT"),
            ("garmin-user-ann", "4003-file", "http://example.org/wellness-api/rest/activityFile?id=4003&token=x", "FIT"),
            ("garmin-user-ann", "4004-file", wrongToken, "FIT")));
        Assert.Equal(new GarminPingResult(2, 0, 2, 0), result);
        // Nothing is stored for the Garmin user no athlete is linked to (bob): counted as skipped only.
        await SettledAsync(3);
        var files = await FilesAsync();
        Assert.DoesNotContain(files, f => f.GarminUserId == "garmin-user-bob");
        Assert.Equal((GarminFileStatus.Failed, 1), (files[0].Status, files[0].Attempts));
        Assert.StartsWith("the callback URL expired or was already used (410 Gone)", files[0].Reason);
        Assert.Equal(GarminFileStatus.Skipped, files[1].Status);
        Assert.StartsWith("callback URL http://example.org/", files[1].Reason);
        Assert.Equal((GarminFileStatus.Failed, 1), (files[2].Status, files[2].Attempts));
        Assert.Contains("answered 401", files[2].Reason);
        Assert.False(_garmin.Downloads.ContainsKey("4002"));
        Assert.Empty(await UploadsAsync());
    }

    [Fact]
    public async Task WrongClientIdIsRefusedAndMalformedPingsAreNamed()
    {
        var stranger = _server.CreateClient();
        stranger.DefaultRequestHeaders.Add("garmin-client-id", "someone-else");
        var response = await stranger.PostAsync("/api/garmin/activity-files", new StringContent("{\"activityFiles\":[]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        response = await _client.PostAsync("/api/garmin/activity-files",
            new StringContent("{\"activityFiles\":[{\"userId\":\"u\",\"fileType\":\"FIT\",\"callbackURL\":\"x\"}]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("activityFiles[0] has no \\\"summaryId\\\"", await response.Content.ReadAsStringAsync());
        response = await _client.PostAsync("/api/garmin/activity-files", new StringContent("[1,2]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await FilesAsync());
    }

    [Fact]
    public async Task DeregistrationRemovesTheLinkSoLaterPingsAreSkipped()
    {
        Assert.Equal(new GarminPingResult(0, 0, 0, 1), await PingAsync("{\"deregistrations\":[{\"userId\":\"garmin-user-ann\"}]}"));
        var result = await PingAsync(FakeGarmin.Ping(("garmin-user-ann", "5001-file",
            _garmin.Offer("5001", Rides.Synthetic(seed: 71), "access-ann"), "FIT")));
        Assert.Equal(new GarminPingResult(0, 0, 1, 0), result);
    }

    [Fact]
    public async Task PendingFetchesResumeAfterARestart()
    {
        var url = _garmin.Offer("6001", Rides.Synthetic(seed: 81, minutes: 10), "access-ann");
        _garmin.FailNext("6001", 1);
        var slow = _base.WithWebHostBuilder(b =>
        {
            b.UseSetting("NirsSync:Garmin:ClientId", ClientId);
            b.UseSetting("NirsSync:Garmin:WebhookSecret", WebhookSecret);
            b.UseSetting("NirsSync:Garmin:AllowedCallbackPrefixes:0", _garmin.BaseUrl);
            b.UseSetting("NirsSync:Garmin:RetryBaseSeconds", "3600");
        });
        var client = slow.CreateClient();
        client.DefaultRequestHeaders.Add("garmin-client-id", ClientId);
        client.DefaultRequestHeaders.Add(GarminOptions.WebhookSecretHeader, WebhookSecret);
        await client.PostAsync("/api/garmin/activity-files", new StringContent(
            FakeGarmin.Ping(("garmin-user-ann", "6001-file", url, "FIT")), Encoding.UTF8, "application/json"));
        await Eventually(async () => (await FilesAsync(slow)).Single().Attempts == 1, "the first, failing attempt");
        await slow.DisposeAsync();

        await using var restarted = WithGarmin(new ServerFactory { DataDirectoryOverride = _base.DataDirectory }, _garmin.BaseUrl);
        await Eventually(async () => (await FilesAsync(restarted)).Single().Status == GarminFileStatus.Fetched,
            "the fetch resumed by the restarted server");
        Assert.Equal(2, (await FilesAsync(restarted)).Single().Attempts);
    }

    [Fact]
    public async Task OnlyAdminsLinkAthletesOverTheApi()
    {
        var admin = await CoachAsync("coach@example.com");
        var response = await admin.PutAsJsonAsync($"/api/garmin/links/{_ann}", new GarminLinkRequest("garmin-user-ann-2", "access-2"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("garmin-user-ann-2", (await response.Content.ReadFromJsonAsync<GarminLinkDto>())!.GarminUserId);
        response = await admin.PutAsJsonAsync($"/api/garmin/links/{Guid.NewGuid()}", new GarminLinkRequest("x", "y"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        await using (var scope = _server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AccountService>().AddCoachAsync("plain@example.com", "coach-password-1");
        var plain = await CoachAsync("plain@example.com");
        response = await plain.PutAsJsonAsync($"/api/garmin/links/{_ann}", new GarminLinkRequest("garmin-user-evil", "t"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/garmin/links/{_ann}")).StatusCode);
    }

    [Fact]
    public async Task PushIsOffWithoutAWebhookSecretSoAnonymousPostsStoreNothingAndUnlinkNobody()
    {
        await using var open = _base.WithWebHostBuilder(b =>
            b.UseSetting("NirsSync:Garmin:AllowedCallbackPrefixes:0", _garmin.BaseUrl));
        var anyone = open.CreateClient();
        var response = await anyone.PostAsync("/api/garmin/activity-files", new StringContent(
            "{\"deregistrations\":[{\"userId\":\"garmin-user-ann\"}]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("no Garmin webhook secret", await response.Content.ReadAsStringAsync());
        await using var scope = _server.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<NirsDbContext>().Set<GarminLink>().AnyAsync(l => l.AthleteId == _ann));
    }

    [Fact]
    public async Task PushWithAWrongSecretIsRefusedAndTheSecretWorksAsAPathSegment()
    {
        var stranger = _server.CreateClient();
        stranger.DefaultRequestHeaders.Add("garmin-client-id", ClientId);
        var body = "{\"deregistrations\":[{\"userId\":\"garmin-user-ann\"}]}";
        var response = await stranger.PostAsync("/api/garmin/activity-files/not-the-secret", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        stranger.DefaultRequestHeaders.Add(GarminOptions.WebhookSecretHeader, "not-the-secret");
        response = await stranger.PostAsync("/api/garmin/activity-files", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var garmin = _server.CreateClient();
        garmin.DefaultRequestHeaders.Add("garmin-client-id", ClientId);
        response = await garmin.PostAsync($"/api/garmin/activity-files/{WebhookSecret}", new StringContent(
            FakeGarmin.Ping(("garmin-user-ann", "7001-file", _garmin.Offer("7001", Rides.Synthetic(seed: 91, minutes: 5), "access-ann"), "FIT")),
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await SettledAsync(1);
    }

    [Fact]
    public async Task OversizedPushIsRefusedBeforeAnythingIsStored()
    {
        await using var small = WithGarmin(new ServerFactory { DataDirectoryOverride = _base.DataDirectory }, _garmin.BaseUrl)
            .WithWebHostBuilder(b => b.UseSetting("NirsSync:Garmin:MaxPingBytes", "4096"));
        var client = small.CreateClient();
        client.DefaultRequestHeaders.Add("garmin-client-id", ClientId);
        client.DefaultRequestHeaders.Add(GarminOptions.WebhookSecretHeader, WebhookSecret);
        var files = Enumerable.Range(0, 100).Select(i => ("garmin-user-ann", $"8{i:000}-file", $"{_garmin.BaseUrl}x?id={i}", "FIT")).ToArray();
        var response = await client.PostAsync("/api/garmin/activity-files", new StringContent(FakeGarmin.Ping(files), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("4096", await response.Content.ReadAsStringAsync());
        Assert.Empty(await FilesAsync());
    }

    [Fact]
    public async Task PushWithTooManyEntriesIsRefused()
    {
        await using var few = WithGarmin(new ServerFactory { DataDirectoryOverride = _base.DataDirectory }, _garmin.BaseUrl)
            .WithWebHostBuilder(b => b.UseSetting("NirsSync:Garmin:MaxPingEntries", "3"));
        var client = few.CreateClient();
        client.DefaultRequestHeaders.Add("garmin-client-id", ClientId);
        client.DefaultRequestHeaders.Add(GarminOptions.WebhookSecretHeader, WebhookSecret);
        var files = Enumerable.Range(0, 4).Select(i => ("garmin-user-ann", $"9{i:000}-file", $"{_garmin.BaseUrl}x?id={i}", "FIT")).ToArray();
        var response = await client.PostAsync("/api/garmin/activity-files", new StringContent(FakeGarmin.Ping(files), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 3 entries", await response.Content.ReadAsStringAsync());
        Assert.Empty(await FilesAsync());
    }

    [Fact]
    public async Task OverlongStringsInAPushAreRefusedNotStored()
    {
        var ping = FakeGarmin.Ping(("garmin-user-ann", new string('s', 129), $"{_garmin.BaseUrl}x?id=1", "FIT"));
        var response = await _client.PostAsync("/api/garmin/activity-files", new StringContent(ping, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("activityFiles[0].summaryId is 129 characters long; at most 128 are accepted", await response.Content.ReadAsStringAsync());
        var hugeName = "{\"activityFiles\":[{\"userId\":\"garmin-user-ann\",\"summaryId\":\"1\",\"fileType\":\"FIT\",\"callbackURL\":\"" + _garmin.BaseUrl
            + "x\",\"activityName\":\"" + new string('n', 100_000) + "\"}]}";
        response = await _client.PostAsync("/api/garmin/activity-files", new StringContent(hugeName, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await FilesAsync());
    }

    [Fact]
    public async Task CallbackRedirectOffTheAllowedHostIsNotFollowed()
    {
        var url = _garmin.Offer("7101", Rides.Synthetic(seed: 92, minutes: 5), "access-ann");
        _garmin.RedirectTo("7101", "http://169.254.169.254/latest/meta-data/");
        await PingAsync(FakeGarmin.Ping(("garmin-user-ann", "7101-file", url, "FIT")));
        await SettledAsync(1);
        var file = (await FilesAsync()).Single();
        Assert.Equal((GarminFileStatus.Failed, 1), (file.Status, file.Attempts));
        Assert.Contains("redirected to http://169.254.169.254/latest/meta-data/, which is not under an allowed callback prefix", file.Reason);
        Assert.Empty(await UploadsAsync());
    }

    [Fact]
    public async Task CallbackFileLargerThanTheUploadLimitIsStoppedNotStored()
    {
        await using var small = WithGarmin(new ServerFactory { DataDirectoryOverride = _base.DataDirectory, MaxUploadBytes = 20_000 }, _garmin.BaseUrl);
        var client = small.CreateClient();
        client.DefaultRequestHeaders.Add("garmin-client-id", ClientId);
        client.DefaultRequestHeaders.Add(GarminOptions.WebhookSecretHeader, WebhookSecret);
        var ride = Rides.Synthetic(seed: 93, minutes: 30);
        Assert.True(ride.Length > 20_000);
        var response = await client.PostAsync("/api/garmin/activity-files", new StringContent(
            FakeGarmin.Ping(("garmin-user-ann", "7201-file", _garmin.Offer("7201", ride, "access-ann"), "FIT")), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually(async () => (await FilesAsync(small)).Single().Status == GarminFileStatus.Failed, "the oversized file failed");
        Assert.Contains("the upload limit is 20000 bytes", (await FilesAsync(small)).Single().Reason);
        Assert.Empty(await UploadsAsync());
    }

    [Fact]
    public async Task GarminTokensAreEncryptedAtRestAndPlainRowsAreEncryptedAtStart()
    {
        string stored;
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            stored = (await db.Set<GarminLink>().AsNoTracking().SingleAsync(l => l.AthleteId == _ann)).AccessToken;
            Assert.StartsWith(GarminTokenProtector.Prefix, stored);
            Assert.DoesNotContain("access-ann", stored);
            // A row from before encryption, in plain text.
            await db.Set<GarminLink>().Where(l => l.AthleteId == _ann).ExecuteUpdateAsync(s => s.SetProperty(l => l.AccessToken, "access-ann"));
        }
        await _server.DisposeAsync();
        _server = WithGarmin(new ServerFactory { DataDirectoryOverride = _base.DataDirectory }, _garmin.BaseUrl);
        _client = _server.CreateClient();
        _client.DefaultRequestHeaders.Add("garmin-client-id", ClientId);
        _client.DefaultRequestHeaders.Add(GarminOptions.WebhookSecretHeader, WebhookSecret);
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var again = (await scope.ServiceProvider.GetRequiredService<NirsDbContext>().Set<GarminLink>().AsNoTracking().SingleAsync(l => l.AthleteId == _ann)).AccessToken;
            Assert.StartsWith(GarminTokenProtector.Prefix, again);
            Assert.Equal("access-ann", scope.ServiceProvider.GetRequiredService<GarminTokenProtector>().Reveal(again));
        }
        // And the fetch job still presents the right token.
        await PingAsync(FakeGarmin.Ping(("garmin-user-ann", "7301-file", _garmin.Offer("7301", Rides.Synthetic(seed: 94, minutes: 5), "access-ann"), "FIT")));
        await SettledAsync(1);
        Assert.Equal(GarminFileStatus.Fetched, (await FilesAsync()).Single().Status);
    }

    private async Task<HttpClient> CoachAsync(string email)
    {
        var client = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "coach-password-1" });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        client.DefaultRequestHeaders.Add("Origin", ServerFactory.Origin);
        return client;
    }

    private async Task<string> TokenAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AccountService>().IssueTokenAsync(_ann)).Token;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _base.Dispose();
        await _garmin.DisposeAsync();
    }
}
