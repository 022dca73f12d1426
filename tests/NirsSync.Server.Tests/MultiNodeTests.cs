using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>
/// PostgreSQL mode with several nodes: two web and two worker processes on one database, a storm of uploads spread
/// over both web nodes, SIGKILL of one worker and one web node in the middle, both restarted; every acknowledged
/// upload is processed exactly once, the trends are current, no row is duplicated.
/// </summary>
[Trait("Database", "postgres")]
public sealed class MultiNodeTests
{
    [Fact]
    public async Task TwoWebTwoWorkersKilledMidStormLoseNothingAndDoNothingTwice()
    {
        var postgres = PostgresServer.Shared.CreateDatabase();
        var data = Path.Combine(Path.GetTempPath(), "nirssync-multi-" + Guid.NewGuid().ToString("N"));
        var (athleteId, token) = await ServerProcess.SeedAthleteOnPostgresAsync(postgres, "coach@example.com", "Ann");
        Dictionary<string, string> Settings(string role) => new()
        {
            ["NirsSync__Database"] = "postgres",
            ["NirsSync__Postgres"] = postgres,
            ["NirsSync__Role"] = role,
            ["NirsSync__Workers"] = "2",
            ["NirsSync__TrendBatchDelaySeconds"] = "1",
            // A killed worker's fetched jobs come back to the others after this long.
            ["NirsSync__JobInvisibilitySeconds"] = "10",
            // ... and the uploads it had claimed, once their lease lapses.
            ["NirsSync__IngestLeaseSeconds"] = "10",
            // Four processes start at once on a small machine: tiered JIT starts them faster than the shipped
            // fully-optimised setting (TieredCompilation=false), which matters for throughput, not for this test.
            ["DOTNET_TieredCompilation"] = "1",
        };
        var files = Enumerable.Range(0, 120).Select(i => Rides.Synthetic(seed: 3000 + i, minutes: 5)).ToArray();
        var acknowledged = new ConcurrentDictionary<int, Guid>();

        var web = new[] { new ServerProcess(data, Settings("web")), new ServerProcess(data, Settings("web")) };
        var workers = new[] { new ServerProcess(data, Settings("worker")), new ServerProcess(data, Settings("worker")) };
        try
        {
            await Task.WhenAll(web.Concat(workers).Select(n => n.StartAsync(timeoutSeconds: 180)));
            // A worker serves /health only: the OpenAPI document every web node serves to anyone is not there.
            using (var probe = new HttpClient { BaseAddress = workers[0].BaseAddress })
                Assert.False((await probe.GetAsync("/openapi/v1.json")).IsSuccessStatusCode);
            using (var probe = new HttpClient { BaseAddress = web[0].BaseAddress })
                Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/openapi/v1.json")).StatusCode);
            var clients = web.Select(w => Client(w, token)).ToArray();
            var next = -1;
            var killAt = files.Length / 3;
            var killed = 0;
            // The storm pauses while the nodes die: killing a process tree takes long enough on a busy machine for
            // every remaining upload to finish first, and then nothing would have been cut off.
            var dead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async lane =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < files.Length)
                {
                    if (Volatile.Read(ref killed) == 1) await dead.Task;
                    try
                    {
                        var response = await clients[i % 2].UploadAsync(files[i]);
                        if (response.IsSuccessStatusCode)
                            acknowledged[i] = (await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id;
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) { }
                    if (acknowledged.Count >= killAt && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        workers[0].Kill();
                        web[0].Kill();
                        dead.SetResult();
                    }
                }
            }));
            Assert.InRange(acknowledged.Count, killAt, files.Length - 1);

            web[0].Dispose();
            workers[0].Dispose();
            web[0] = new ServerProcess(data, Settings("web"));
            workers[0] = new ServerProcess(data, Settings("worker"));
            await Task.WhenAll(web[0].StartAsync(timeoutSeconds: 180), workers[0].StartAsync(timeoutSeconds: 180));

            // Every file again, over both web nodes: the acknowledged ones answer 200 with the same upload.
            clients = web.Select(w => Client(w, token)).ToArray();
            var all = new List<Guid>();
            for (var i = 0; i < files.Length; i++)
            {
                var response = await clients[i % 2].UploadAsync(files[i]);
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
                Assert.Equal(UploadStatus.Processed, (await WaitProcessedAsync(clients[1], id)).Status);

            await using var services = ServerProcess.Services(null, postgres);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            Assert.Equal(files.Length, await db.Uploads.CountAsync(u => u.AthleteId == athleteId));
            Assert.Equal(files.Length, await db.Rides.CountAsync(r => r.AthleteId == athleteId));
            Assert.Equal(files.Length, await db.Rides.Select(r => r.UploadId).Distinct().CountAsync());
            Assert.Equal(0, await db.Uploads.CountAsync(u => u.Status != UploadStatus.Processed));
            Assert.Equal(files.Length, await db.Uploads.CountAsync(u => db.Rides.Any(r => r.Id == u.RideId && r.UploadId == u.Id)));
            // Trends current: the stored trends were computed from every ride (their version caught up).
            var deadline = DateTime.UtcNow.AddSeconds(60);
            Athlete athlete;
            while (true)
            {
                athlete = await db.Athletes.AsNoTracking().SingleAsync(a => a.Id == athleteId);
                if (athlete.TrendsVersion == athlete.RideVersion || DateTime.UtcNow > deadline) break;
                await Task.Delay(250);
            }
            Assert.Equal(files.Length, athlete.RideVersion);
            Assert.Equal(athlete.RideVersion, athlete.TrendsVersion);
            Assert.NotNull(athlete.TrendsJson);
        }
        finally
        {
            foreach (var node in web.Concat(workers)) node.Dispose();
        }
    }

    private static async Task<UploadStatusDto> WaitProcessedAsync(HttpClient client, Guid uploadId)
    {
        // A killed worker's jobs return after the invisibility timeout: allow a minute.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var status = await client.GetFromJsonAsync<UploadStatusDto>($"/api/uploads/{uploadId}", Json.Options);
            if (status!.Status != UploadStatus.Pending) return status;
            Assert.True(DateTime.UtcNow < deadline, $"upload {uploadId} still pending after 90 s");
            await Task.Delay(100);
        }
    }

    private static HttpClient Client(ServerProcess server, string token)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
