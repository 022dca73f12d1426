using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;
using NirsSync.Server.Ingest;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Tests;

/// <summary>The database is the source of truth: pending work survives restarts, jobs run twice change nothing.</summary>
public class RecoveryTests
{
    private readonly string _database;

    public RecoveryTests() : this("sqlite") { }

    /// <summary>The same tests on another provider ("postgres": see RecoveryTestsOnPostgres).</summary>
    protected RecoveryTests(string database) => _database = database;

    [Fact]
    public async Task PendingUploadLeftByACrashIsProcessedAfterRestart()
    {
        using var first = new ServerFactory { Database = _database };
        await first.AddCoachAsync("coach@example.com");
        var (athleteId, token) = await first.AddAthleteAsync("Ann", "coach@example.com");
        var bytes = Rides.Synthetic(seed: 21, minutes: 15);
        var uploadId = Guid.CreateVersion7();
        await using (var scope = first.Services.CreateAsyncScope())
        {
            // What a crash right after the commit leaves behind: the upload is stored, no job was queued.
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            db.Uploads.Add(new Upload
            {
                Id = uploadId, AthleteId = athleteId, Sha256 = SHA256.HashData(bytes), Size = bytes.Length,
                Status = UploadStatus.Pending, ReceivedAt = DateTimeOffset.UtcNow,
            });
            db.UploadBlobs.Add(new UploadBlob { UploadId = uploadId, Bytes = bytes });
            await db.SaveChangesAsync();
        }

        using var second = new ServerFactory { Database = _database, DataDirectoryOverride = first.DataDirectory, PostgresOverride = _database == "postgres" ? first.Postgres : null };
        var status = await second.AthleteClient(token).WaitProcessedAsync(uploadId);
        Assert.Equal(UploadStatus.Processed, status.Status);
        await using var check = second.Services.CreateAsyncScope();
        var rides = await check.ServiceProvider.GetRequiredService<NirsDbContext>().Rides.CountAsync(r => r.UploadId == uploadId);
        Assert.Equal(1, rides);
    }

    [Fact]
    public async Task IngestJobRunTwiceStoresOneRide()
    {
        using var server = new ServerFactory { Database = _database };
        await server.AddCoachAsync("coach@example.com");
        var (_, token) = await server.AddAthleteAsync("Ann", "coach@example.com");
        var client = server.AthleteClient(token);
        var accepted = await (await client.UploadAsync(Rides.Synthetic(seed: 22, minutes: 10)))
            .Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        var done = await client.WaitProcessedAsync(accepted!.Id);
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IngestJob>().RunAsync(accepted.Id);
        await using var check = server.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<NirsDbContext>();
        Assert.Equal(1, await db.Rides.CountAsync(r => r.UploadId == accepted.Id));
        Assert.Equal(done.RideId, (await db.Uploads.SingleAsync(u => u.Id == accepted.Id)).RideId);
    }

    [Fact]
    public async Task TrendJobSkipsWhenTrendsAreCurrent()
    {
        using var server = new ServerFactory { Database = _database };
        await server.AddCoachAsync("coach@example.com");
        var (athleteId, token) = await server.AddAthleteAsync("Ann", "coach@example.com");
        var client = server.AthleteClient(token);
        var accepted = await (await client.UploadAsync(Rides.Synthetic(seed: 23, minutes: 10)))
            .Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        await client.WaitProcessedAsync(accepted!.Id);
        var trends = await TrendWait.CurrentAsync(client, athleteId);
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TrendJob>().RunAsync(athleteId);
        var after = await client.GetFromJsonAsync<Trends.TrendsDto>($"/api/athletes/{athleteId}/trends", Json.Options);
        Assert.Equal(trends.UpdatedAt, after!.UpdatedAt);
    }
}

/// <summary>Every test of <see cref="RecoveryTests"/> against PostgreSQL.</summary>
[Trait("Database", "postgres")]
public sealed class RecoveryTestsOnPostgres() : RecoveryTests("postgres");
