using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>The server as its own process: killed with SIGKILL mid-storm, restarted, nothing lost, nothing twice.</summary>
public sealed class ReliabilityTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "nirssync-rel-" + Guid.NewGuid().ToString("N"));
    private static readonly Dictionary<string, string> Settings = new() { ["NirsSync__MaxUploadBytes"] = "1048576" };

    [Theory]
    [InlineData("KILL")]
    [InlineData("TERM")]
    public async Task StoppedMidStormEveryAcknowledgedUploadIsProcessedExactlyOnce(string signal)
    {
        var (athleteId, token) = await ServerProcess.SeedAthleteAsync(_data, "coach@example.com", "Ann");
        var files = Enumerable.Range(0, 120).Select(i => Rides.Synthetic(seed: 1000 + i, minutes: 5)).ToArray();
        var acknowledged = new ConcurrentDictionary<int, Guid>();

        using (var server = new ServerProcess(_data, Settings))
        {
            await server.StartAsync();
            using var client = Client(server, token);
            var next = -1;
            var killAt = files.Length / 3;
            var stopped = 0;
            var workers = Enumerable.Range(0, 8).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < files.Length)
                {
                    try
                    {
                        var response = await client.UploadAsync(files[i]);
                        if (response.IsSuccessStatusCode)
                            acknowledged[i] = (await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id;
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) { }
                    if (acknowledged.Count >= killAt && Interlocked.Exchange(ref stopped, 1) == 0)
                    {
                        if (signal == "KILL") server.Kill();
                        else server.Terminate();
                    }
                }
            });
            await Task.WhenAll(workers);
        }
        Assert.InRange(acknowledged.Count, files.Length / 3, files.Length - 1);

        using (var server = new ServerProcess(_data, Settings))
        {
            await server.StartAsync();
            using var client = Client(server, token);
            var all = new List<Guid>();
            for (var i = 0; i < files.Length; i++)
            {
                var response = await client.UploadAsync(files[i]);
                Assert.True(response.IsSuccessStatusCode, $"re-upload {i}: {response.StatusCode}");
                var id = (await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id;
                all.Add(id);
                if (acknowledged.TryGetValue(i, out var before))
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Equal(before, id);
                }
            }
            foreach (var id in all)
                Assert.Equal(UploadStatus.Processed, (await client.WaitProcessedAsync(id)).Status);
        }

        await using var services = ServerProcess.Services(_data);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        Assert.Equal(files.Length, await db.Uploads.CountAsync(u => u.AthleteId == athleteId));
        Assert.Equal(files.Length, await db.Rides.CountAsync(r => r.AthleteId == athleteId));
        Assert.Equal(files.Length, await db.Rides.Select(r => r.UploadId).Distinct().CountAsync());
        Assert.Equal(0, await db.Uploads.CountAsync(u => u.Status != UploadStatus.Processed));
    }

    [Fact]
    public async Task BadInputsGetClear4xxAndTheServerKeepsServing()
    {
        var (annId, annToken) = await ServerProcess.SeedAthleteAsync(_data, "coach@example.com", "Ann");
        var (_, benToken) = await ServerProcess.SeedAthleteAsync(_data, "other@example.com", "Ben");
        using var server = new ServerProcess(_data, Settings);
        await server.StartAsync();
        using var ann = Client(server, annToken);
        using var ben = Client(server, benToken);
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var wrong = Client(server, "nst_wrong");
        var good = Rides.Synthetic(seed: 5, minutes: 5);
        var annUpload = (await (await ann.UploadAsync(good)).Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!;
        var random = new byte[5000];
        new Random(3).NextBytes(random);

        await Expect(await ann.UploadAsync([]), 422, "empty");
        await Expect(await ann.UploadAsync(good[..30]), 422, "unreadable");
        await Expect(await ann.UploadAsync(random), 415, "not a FIT file");
        await Expect(await ann.UploadAsync(new byte[1048577]), 413, "limit");
        await Expect(await anonymous.UploadAsync(good), 401, "token");
        await Expect(await wrong.UploadAsync(good), 401, "unknown or revoked");
        await Expect(await ben.GetAsync($"/api/uploads/{annUpload.Id}"), 404, annUpload.Id.ToString());
        await Expect(await ben.GetAsync($"/api/athletes/{annId}/rides"), 404, annId.ToString());
        // Changing the map needs the signed-in coach: the athlete's token is refused before the body is read.
        await Expect(await ann.PutAsync($"/api/athletes/{annId}/sensor-map", new StringContent("[]", Encoding.UTF8, "application/json")),
            403, "sign in as the athlete's coach");
        using var coach = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() })
            { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.NoContent, (await coach.PostAsJsonAsync("/api/auth/login",
            new { email = "coach@example.com", password = "coach-password-1" })).StatusCode);
        coach.DefaultRequestHeaders.Add("Origin", server.BaseAddress.GetLeftPart(UriPartial.Authority));
        var malformed = new StringContent("[{\"device\": 12001, \"muscle\": ", Encoding.UTF8, "application/json");
        await Expect(await coach.PutAsync($"/api/athletes/{annId}/sensor-map", malformed), 400, "malformed JSON");
        var badCode = new StringContent("[{\"device\": 12001, \"muscle\": 40, \"side\": 1}]", Encoding.UTF8, "application/json");
        await Expect(await coach.PutAsync($"/api/athletes/{annId}/sensor-map", badCode), 400, "muscle 40");
        await Expect(await ann.GetAsync("/api/rides/not-a-guid"), 404, null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(UploadStatus.Processed, (await ann.WaitProcessedAsync(annUpload.Id)).Status);
    }

    private static async Task Expect(HttpResponseMessage response, int status, string? detailPart)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (detailPart is null) return;
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains(detailPart, problem!.Detail, StringComparison.OrdinalIgnoreCase);
    }

    private static HttpClient Client(ServerProcess server, string token)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { }
    }
}
