using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>POST /api/uploads: durable acceptance, deduplication, limits and clear rejections.</summary>
public class UploadTests : IAsyncLifetime
{
    private readonly ServerFactory _server;

    public UploadTests() : this("sqlite") { }

    /// <summary>The same tests on another provider ("postgres": see UploadTestsOnPostgres).</summary>
    protected UploadTests(string database) => _server = new() { Database = database, MaxUploadBytes = 2 * 1024 * 1024 };
    private HttpClient _ann = null!;
    private HttpClient _ben = null!;

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync("coach@example.com");
        _ann = _server.AthleteClient((await _server.AddAthleteAsync("Ann", "coach@example.com")).Token);
        _ben = _server.AthleteClient((await _server.AddAthleteAsync("Ben", "coach@example.com")).Token);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task UploadAnswers202ThenBecomesProcessedWithRide()
    {
        var response = await _ann.UploadAsync(Rides.Synthetic(seed: 1, minutes: 30));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        Assert.Equal(UploadStatus.Pending, accepted!.Status);
        Assert.Equal($"/api/uploads/{accepted.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(accepted.StatusUrl, response.Headers.Location!.OriginalString);
        var done = await _ann.WaitProcessedAsync(accepted.Id);
        Assert.Equal(UploadStatus.Processed, done.Status);
        Assert.NotNull(done.RideId);
        Assert.Null(done.Reason);
    }

    [Fact]
    public async Task SameFileAgainAnswers200WithSameId()
    {
        var bytes = Rides.Synthetic(seed: 2, minutes: 10);
        var first = await (await _ann.UploadAsync(bytes)).Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        var again = await _ann.UploadAsync(bytes);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        Assert.Equal(first!.Id, second!.Id);
    }

    [Fact]
    public async Task SameFileFromAnotherAthleteIsItsOwnUpload()
    {
        var bytes = Rides.Synthetic(seed: 3, minutes: 10);
        var ann = await (await _ann.UploadAsync(bytes)).Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        var benResponse = await _ben.UploadAsync(bytes);
        Assert.Equal(HttpStatusCode.Accepted, benResponse.StatusCode);
        var ben = await benResponse.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        Assert.NotEqual(ann!.Id, ben!.Id);
    }

    [Fact]
    public async Task ConcurrentSameFileUploadsShareOneId()
    {
        var bytes = Rides.Synthetic(seed: 4, minutes: 10);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _ann.UploadAsync(bytes)));
        var ids = new HashSet<Guid>();
        foreach (var r in responses) ids.Add((await r.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id);
        Assert.Single(ids);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task MultipartUploadIsAccepted()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Rides.Synthetic(seed: 5, minutes: 10));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "morning-ride.fit");
        var response = await _ann.PostAsync("/api/uploads", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var done = await _ann.WaitProcessedAsync((await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id);
        Assert.Equal(UploadStatus.Processed, done.Status);
    }

    [Fact]
    public async Task EmptyBodyIs422NamingTheProblem()
    {
        var problem = await RejectedAsync([], HttpStatusCode.UnprocessableEntity);
        Assert.Contains("empty", problem.Detail);
    }

    [Fact]
    public async Task RandomBytesAre415()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x42;
        var problem = await RejectedAsync(bytes, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains(".FIT", problem.Detail);
    }

    [Fact]
    public async Task FileCutInsideTheFirstMessagesIs422()
    {
        var bytes = Rides.Synthetic(seed: 6, minutes: 10)[..40];
        var problem = await RejectedAsync(bytes, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("unreadable FIT file", problem.Detail);
    }

    [Fact]
    public async Task DamagedButReadableFileIsIngestedWithWarning()
    {
        var whole = Rides.Synthetic(seed: 8, minutes: 20);
        var response = await _ann.UploadAsync(whole[..(whole.Length * 2 / 3)]);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        Assert.Contains("damaged FIT file", accepted!.Warning);
        var done = await _ann.WaitProcessedAsync(accepted.Id);
        Assert.Equal(UploadStatus.Processed, done.Status);
        var ride = await _ann.GetFromJsonAsync<Server.Rides.RideDto>($"/api/rides/{done.RideId}", Json.Options);
        Assert.InRange(ride!.DurationSeconds, 300, 1000);
    }

    [Fact]
    public async Task OversizedUploadIs413()
    {
        var problem = await RejectedAsync(new byte[2 * 1024 * 1024 + 1], HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("2097152", problem.Detail);
    }

    [Fact]
    public async Task MissingTokenIs401()
    {
        var anonymous = _server.CreateClient();
        var response = await anonymous.UploadAsync(Rides.Synthetic(seed: 9, minutes: 5));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RevokedTokenCanNoLongerUpload()
    {
        await _server.AddCoachAsync("other@example.com");
        var (id, token) = await _server.AddAthleteAsync("Dora", "other@example.com");
        var dora = _server.AthleteClient(token);
        Assert.Equal(HttpStatusCode.Accepted, (await dora.UploadAsync(Rides.Synthetic(seed: 10, minutes: 5))).StatusCode);
        var coach = await _server.CoachClientAsync("other@example.com");
        var tokens = await coach.GetFromJsonAsync<List<Tokens.TokenDto>>($"/api/athletes/{id}/tokens", Json.Options);
        Assert.Equal(HttpStatusCode.NoContent, (await coach.DeleteAsync($"/api/athletes/{id}/tokens/{tokens!.Single().Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await dora.UploadAsync(Rides.Synthetic(seed: 11, minutes: 5))).StatusCode);
    }

    [Theory]
    [InlineData("runalyze/moxy-2sensors.fit")]
    [InlineData("runalyze/moxy-float.fit")]
    [InlineData("goldencheetah/Indoor_Cycling2smO2sensors.fit")]
    public async Task CorpusFilesWithMoxySensorsAreProcessed(string file)
    {
        var response = await _ann.UploadAsync(Rides.Corpus(file));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var done = await _ann.WaitProcessedAsync((await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id);
        Assert.Equal(UploadStatus.Processed, done.Status);
    }

    private async Task<ProblemDetails> RejectedAsync(byte[] bytes, HttpStatusCode expected)
    {
        var response = await _ann.UploadAsync(bytes);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal((int)expected, problem.Status);
        return problem;
    }
}

/// <summary>Every test of <see cref="UploadTests"/> against PostgreSQL.</summary>
[Trait("Database", "postgres")]
public sealed class UploadTestsOnPostgres() : UploadTests("postgres");
