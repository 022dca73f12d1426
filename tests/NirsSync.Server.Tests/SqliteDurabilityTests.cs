using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// SQLite durability: what a request commits (an upload before its 202, settings, tokens) is synced to disk
/// (synchronous=FULL, the server's default); an ingest worker commits without waiting for the disk while it runs
/// (its writes are derived from the synced upload) and hands its connection back synced again.
/// </summary>
public sealed class SqliteDurabilityTests
{
    private static async Task<long> SynchronousAsync(NirsDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task AnIngestRelaxesItsOwnConnectionAndHandsItBackSyncedAgain()
    {
        using var server = new ServerFactory { Role = "web", SynchronousFull = true };
        var options = server.Services.GetRequiredService<IOptions<NirsOptions>>().Value;
        Assert.True(options.SynchronousFull);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        Assert.Equal(2, await SynchronousAsync(db)); // FULL
        Assert.True(IngestDurability.Relax(db, options));
        Assert.Equal(1, await SynchronousAsync(db)); // NORMAL
        IngestDurability.Restore(db);
        Assert.Equal(2, await SynchronousAsync(db));
    }

    [Fact]
    public async Task AfterUploadsAreIngestedThePooledConnectionsStillSyncEachCommit()
    {
        using var server = new ServerFactory { SynchronousFull = true };
        await server.AddCoachAsync("coach@example.com");
        var (_, token) = await server.AddAthleteAsync("Ann", "coach@example.com");
        var client = server.AthleteClient(token);
        for (var seed = 1; seed <= 3; seed++)
        {
            var response = await client.UploadAsync(Rides.Synthetic(seed: seed, minutes: 10));
            var upload = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Uploads.UploadStatusDto>(response.Content, Json.Options);
            Assert.Equal(UploadStatus.Processed, (await client.WaitProcessedAsync(upload!.Id)).Status);
        }

        // Several contexts open at once take several of the pool's native connections, the workers' among them.
        var scopes = Enumerable.Range(0, 4).Select(_ => server.Services.CreateAsyncScope()).ToList();
        try
        {
            foreach (var scope in scopes)
                Assert.Equal(2, await SynchronousAsync(scope.ServiceProvider.GetRequiredService<NirsDbContext>()));
        }
        finally
        {
            foreach (var scope in scopes) await scope.DisposeAsync();
        }
    }

    [Fact]
    public async Task AConnectionLeftRelaxedIsSyncedAgainWhenItIsNextOpened()
    {
        using var server = new ServerFactory { Role = "web", SynchronousFull = true };
        var options = server.Services.GetRequiredService<IOptions<NirsOptions>>().Value;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            await db.Database.OpenConnectionAsync();
            Assert.True(IngestDurability.Relax(db, options));
            Assert.Equal(1, await SynchronousAsync(db));
            // No restore: the run ended some other way and the connection goes back to the pool relaxed.
        }
        await using (var scope = server.Services.CreateAsyncScope())
            Assert.Equal(2, await SynchronousAsync(scope.ServiceProvider.GetRequiredService<NirsDbContext>()));
    }

    [Fact]
    public async Task WithSyncingOffThereIsNothingToRelax()
    {
        using var server = new ServerFactory { Role = "web" };
        var options = server.Services.GetRequiredService<IOptions<NirsOptions>>().Value;
        Assert.False(options.SynchronousFull);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        Assert.False(IngestDurability.Relax(db, options));
        Assert.Equal(1, await SynchronousAsync(db));
    }
}
