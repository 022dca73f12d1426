using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using Microsoft.AspNetCore.Hosting;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>The ingest queue (the pending uploads, claimed with a lease): what happens to claims left by others.</summary>
internal static class ClaimedUploads
{
    public const string DeadNode = "another-node:1:dead";

    /// <summary>Stores a pending upload as a node that claimed it and stopped would have left it.</summary>
    public static async Task<Guid> StoreAsync(ServerFactory server, Guid athleteId, int seed, DateTimeOffset leaseUntil)
    {
        var bytes = Rides.Synthetic(seed: seed, minutes: 5);
        var uploadId = Guid.CreateVersion7();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        db.Uploads.Add(new Upload
        {
            Id = uploadId, AthleteId = athleteId, Sha256 = SHA256.HashData(bytes), Size = bytes.Length,
            Status = UploadStatus.Pending, ReceivedAt = DateTimeOffset.UtcNow, Attempts = 1,
            LeaseOwner = DeadNode, LeaseUntil = leaseUntil,
        });
        db.UploadBlobs.Add(new UploadBlob { UploadId = uploadId, Bytes = bytes });
        await db.SaveChangesAsync();
        return uploadId;
    }
}

/// <summary>
/// A web node (it runs no workers: the test drives the queue itself) with a coach and an athlete, and the queue, a
/// context and the write gate of one scope.
/// </summary>
internal sealed class QueueNode : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    private QueueNode(ServerFactory server, Guid athleteId)
    {
        Server = server;
        AthleteId = athleteId;
        _scope = server.Services.CreateAsyncScope();
    }

    public ServerFactory Server { get; }
    public Guid AthleteId { get; }
    public Ingest.IngestQueue Queue => _scope.ServiceProvider.GetRequiredService<Ingest.IngestQueue>();
    public NirsDbContext Db => _scope.ServiceProvider.GetRequiredService<NirsDbContext>();
    public WriteGate Gate => _scope.ServiceProvider.GetRequiredService<WriteGate>();

    public static async Task<QueueNode> StartAsync()
    {
        var server = new ServerFactory { Role = "web" };
        await server.AddCoachAsync("coach@example.com");
        var (athleteId, _) = await server.AddAthleteAsync("Ann", "coach@example.com");
        return new QueueNode(server, athleteId);
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        Server.Dispose();
    }
}

/// <summary>SQLite: one process owns the database, so a restart voids the claims its previous life held.</summary>
public sealed class IngestQueueTests
{
    [Fact]
    public async Task ClaimsLeftByAStoppedServerAreVoidAtItsRestart()
    {
        using var first = new ServerFactory { Role = "web" };
        await first.AddCoachAsync("coach@example.com");
        var (athleteId, token) = await first.AddAthleteAsync("Ann", "coach@example.com");
        var held = await ClaimedUploads.StoreAsync(first, athleteId, 26, DateTimeOffset.UtcNow.AddHours(1));

        using var second = new ServerFactory { DataDirectoryOverride = first.DataDirectory };
        var done = await second.AthleteClient(token).WaitProcessedAsync(held);
        Assert.Equal(UploadStatus.Processed, done.Status);
    }
}

/// <summary>The claims a node renews: only those of the uploads it is running now.</summary>
public sealed class IngestQueueRenewalTests
{
    [Fact]
    public async Task AClaimWhoseRunEndedWithoutClosingTheUploadIsNotRenewedAndLapses()
    {
        // A web node runs no workers: the test drives the queue itself.
        using var server = new ServerFactory { Role = "web" };
        var lapsed = server.WithWebHostBuilder(b => b.UseSetting("NirsSync:IngestLeaseSeconds", "2"));
        await server.AddCoachAsync("coach@example.com");
        var (athleteId, _) = await server.AddAthleteAsync("Ann", "coach@example.com");
        var id = await ClaimedUploads.StoreAsync(server, athleteId, 27, DateTimeOffset.UtcNow.AddSeconds(-1));
        await using var scope = lapsed.Services.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<Ingest.IngestQueue>();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();

        Assert.True(await queue.ClaimAsync(db, gate, id));
        Assert.False(await queue.ClaimAsync(db, gate, id)); // held: not taken twice
        Assert.Equal(1, await queue.RenewAsync(db, gate, CancellationToken.None));
        // The run ends without closing or releasing the upload (the database was away when it tried).
        queue.Finished(id);
        Assert.Equal(0, await queue.RenewAsync(db, gate, CancellationToken.None));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await queue.ClaimAsync(db, gate, id))
        {
            Assert.True(DateTime.UtcNow < deadline, "the claim of an ended run never lapsed");
            await Task.Delay(200);
        }
        Assert.Equal(3, (await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == id)).Attempts);
    }
}

/// <summary>What a worker's claim takes (the waiting upload, once; nothing when none waits) and what the renewal extends.</summary>
public sealed class IngestQueueClaimTests
{
    [Fact]
    public async Task AnEmptyQueueGivesNoClaimAndAWaitingUploadIsClaimedOnce()
    {
        await using var node = await QueueNode.StartAsync();
        var (queue, db, gate) = (node.Queue, node.Db, node.Gate);

        // Nothing waits: no claim (an idle worker then sleeps until woken instead of running an ingest of nothing).
        Assert.Null(await queue.ClaimAsync(db, gate, CancellationToken.None));
        var waiting = await ClaimedUploads.StoreAsync(node.Server, node.AthleteId, 28, DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.Equal(waiting, await queue.ClaimAsync(db, gate, CancellationToken.None));
        Assert.Null(await queue.ClaimAsync(db, gate, CancellationToken.None)); // held by this node now
        var claimed = await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == waiting);
        Assert.Equal(queue.Owner, claimed.LeaseOwner);
        Assert.Equal(2, claimed.Attempts);
    }

    [Fact]
    public async Task EveryUploadThisNodeRunsHasItsLeaseExtendedAndAnotherNodesClaimIsLeftAlone()
    {
        await using var node = await QueueNode.StartAsync();
        var (queue, db, gate) = (node.Queue, node.Db, node.Gate);
        var first = await ClaimedUploads.StoreAsync(node.Server, node.AthleteId, 29, DateTimeOffset.UtcNow.AddSeconds(-1));
        var second = await ClaimedUploads.StoreAsync(node.Server, node.AthleteId, 30, DateTimeOffset.UtcNow.AddSeconds(-1));
        var others = await ClaimedUploads.StoreAsync(node.Server, node.AthleteId, 31, DateTimeOffset.UtcNow.AddHours(1));
        Assert.True(await queue.ClaimAsync(db, gate, first));
        Assert.True(await queue.ClaimAsync(db, gate, second));
        var claimedUntil = (await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == first)).LeaseUntil!.Value;

        await Task.Delay(20); // the renewed lease is computed from a later clock reading
        Assert.Equal(2, await queue.RenewAsync(db, gate, CancellationToken.None));

        foreach (var id in new[] { first, second })
        {
            var row = await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == id);
            Assert.Equal(queue.Owner, row.LeaseOwner);
            Assert.True(row.LeaseUntil > claimedUntil, $"{row.LeaseUntil} not after {claimedUntil}");
        }
        var other = await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == others);
        Assert.Equal(ClaimedUploads.DeadNode, other.LeaseOwner);
        queue.Finished(first);
        queue.Finished(second);
    }
}

/// <summary>PostgreSQL: several nodes share the queue, so a claim is another node's until its lease lapses.</summary>
[Trait("Database", "postgres")]
public sealed class IngestQueueTestsOnPostgres
{
    [Fact]
    public async Task AnUploadClaimedByAnotherNodeIsLeftToItUntilItsLeaseLapses()
    {
        using var server = new ServerFactory { Database = "postgres" };
        await server.AddCoachAsync("coach@example.com");
        var (athleteId, token) = await server.AddAthleteAsync("Ann", "coach@example.com");
        var held = await ClaimedUploads.StoreAsync(server, athleteId, 24, DateTimeOffset.UtcNow.AddHours(1));
        var lapsing = await ClaimedUploads.StoreAsync(server, athleteId, 25, DateTimeOffset.UtcNow.AddSeconds(2));

        // The lapsed claim is taken over, its attempt counted again; the live one is not touched.
        var done = await server.AthleteClient(token).WaitProcessedAsync(lapsing);
        Assert.Equal(UploadStatus.Processed, done.Status);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var other = await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == held);
        Assert.Equal(UploadStatus.Pending, other.Status);
        Assert.Equal(ClaimedUploads.DeadNode, other.LeaseOwner);
        Assert.Equal(1, other.Attempts);
        Assert.Equal(2, (await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == lapsing)).Attempts);
    }
}
