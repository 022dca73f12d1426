using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Data.Accounts;
using NirsSync.Data.Documents;
using NirsSync.Server.Ingest;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>
/// Writes that several requests (or web nodes) make at once: none is lost and none is done twice. On PostgreSQL every
/// write goes through at once (the in-process write gate is open), as on several nodes.
/// </summary>
public class ConcurrentWriteTests : IAsyncLifetime
{
    private const string Coach = "coach@example.com";
    private readonly ServerFactory _base;
    private readonly WebApplicationFactory<Program> _server;
    private readonly ConcurrentQueue<(string Method, object?[] Args)> _enqueued = new();

    public ConcurrentWriteTests() : this("sqlite") { }

    /// <summary>The same tests on another provider ("postgres": see ConcurrentWriteTestsOnPostgres).</summary>
    protected ConcurrentWriteTests(string database)
    {
        _base = new ServerFactory { Database = database };
        _server = _base.WithWebHostBuilder(b =>
        {
            // The owed re-analysis waits, so the marker the writes leave can be read before a job clears it.
            b.UseSetting("NirsSync:ReanalyzeDelaySeconds", "600");
            b.ConfigureTestServices(s => s.AddSingleton<IBackgroundJobClient>(sp =>
                new RecordingJobs(new BackgroundJobClient(sp.GetRequiredService<JobStorage>()), _enqueued)));
        });
    }

    /// <summary>Hangfire's client, noting every job created (method and arguments).</summary>
    private sealed class RecordingJobs(IBackgroundJobClient inner, ConcurrentQueue<(string, object?[])> log) : IBackgroundJobClient
    {
        public string Create(Job job, IState state)
        {
            log.Enqueue((job.Type.Name + "." + job.Method.Name, job.Args.ToArray()));
            return inner.Create(job, state);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => inner.ChangeState(jobId, state, expectedState);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _server.Dispose();
        _base.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(Guid Athlete, string Token)> SeedAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        await accounts.AddCoachAsync(Coach, "coach-password-1", false);
        var (athlete, token) = await accounts.AddAthleteAsync("Ann", Coach);
        return (athlete.Id, token.Token);
    }

    private async Task<HttpClient> CoachAsync()
    {
        var client = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = Coach, password = "coach-password-1" });
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        client.DefaultRequestHeaders.Add("Origin", ServerFactory.Origin);
        return client;
    }

    private async Task<Athlete> AthleteRowAsync(Guid id)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NirsDbContext>().Athletes.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    [Fact]
    public async Task Concurrent_sensor_map_changes_each_bump_the_ride_version_and_each_owed_reanalysis_is_kept()
    {
        var (athlete, _) = await SeedAsync();
        var coaches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CoachAsync()));
        var before = await AthleteRowAsync(athlete);
        const int changes = 12;
        // Each request maps one sensor of its own: every one changes the map, whatever order they land in.
        var responses = await Task.WhenAll(Enumerable.Range(1, changes).Select(device =>
            coaches[device % coaches.Length].PutAsJsonAsync($"/api/athletes/{athlete}/sensor-map",
                new[] { new SensorMapEntry(100 + device, 1, 1) })));
        foreach (var response in responses) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var after = await AthleteRowAsync(athlete);
        Assert.Equal(before.RideVersion + changes, after.RideVersion);
        // The owed re-analysis names every sensor any of the writes changed (each write's own, at least).
        var owed = ReanalysisRequests.Devices(after.ReanalyzePending)!;
        Assert.Superset(Enumerable.Range(101, changes).ToHashSet(), owed.ToHashSet());
        Assert.Single(SensorMap.Parse(after.SensorMapJson)); // one of the maps, whole
    }

    [Fact]
    public async Task Concurrent_retries_of_a_failed_export_with_its_start_queue_it_once()
    {
        var (_, token) = await SeedAsync();
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var bytes = ExportFiles.Vo2Master(200);
        var first = await client.UploadAsync(bytes);
        var id = (await first.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id;
        Assert.Equal(UploadStatus.Failed, (await client.WaitProcessedAsync(id)).Status);

        const int retries = 8;
        var answers = await Task.WhenAll(Enumerable.Range(0, retries).Select(_ =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return client.PostAsync("/api/uploads?start=2026-02-06T10:00:00Z", content);
        }));
        foreach (var answer in answers)
        {
            Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, answer.StatusCode.ToString());
            Assert.Equal(id, (await answer.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id);
        }
        var done = await client.WaitProcessedAsync(id);
        Assert.Equal(UploadStatus.Processed, done.Status);
        // Reopened once (the pending row is the ingest queue): claimed once since, and one ride.
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        Assert.Equal(1, (await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == id)).Attempts);
        Assert.Equal(1, await db.Rides.CountAsync(r => r.UploadId == id));
    }
}

/// <summary>Every test of <see cref="ConcurrentWriteTests"/> against PostgreSQL.</summary>
[Trait("Database", "postgres")]
public sealed class ConcurrentWriteTestsOnPostgres() : ConcurrentWriteTests("postgres");
