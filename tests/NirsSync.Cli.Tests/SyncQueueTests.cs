using NirsSync.Cli.Sync;

namespace NirsSync.Cli.Tests;

public sealed class SyncQueueTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "nirssync-queue-" + Guid.NewGuid().ToString("N"));
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void QueuedRideSurvivesReopeningWithItsBytesAndAttempts()
    {
        var bytes = SyncWorld.Ride(seed: 1);
        var sha = SyncWorld.Sha(bytes);
        var queue = new SyncQueue(_state);
        Assert.Equal(EnqueueOutcome.Queued, queue.Enqueue(sha, bytes, "/media/GARMIN/Activity/a.fit", T0));
        queue.Retry(queue.Pending().Single(), "server unreachable", T0.AddSeconds(10));

        var reopened = new SyncQueue(_state);
        var ride = reopened.Pending().Single();
        Assert.Equal((sha, 1, "server unreachable", T0.AddSeconds(10)), (ride.Sha256, ride.Attempts, ride.LastError, ride.NextAttemptAt));
        Assert.Equal(bytes, reopened.Bytes(ride));
        Assert.Equal(EnqueueOutcome.AlreadyQueued, reopened.Enqueue(sha, bytes, "/elsewhere/copy.fit", T0));
    }

    [Fact]
    public void UploadedAndRejectedRidesAreNeverQueuedAgain()
    {
        var queue = new SyncQueue(_state);
        var a = SyncWorld.Ride(seed: 2);
        var b = SyncWorld.Ride(seed: 3);
        queue.Enqueue(SyncWorld.Sha(a), a, "a.fit", T0);
        queue.Enqueue(SyncWorld.Sha(b), b, "b.fit", T0);
        var id = Guid.NewGuid();
        queue.MarkUploaded(queue.Pending().Single(r => r.Source == "a.fit"), id, 202, T0);
        queue.MarkRejected(queue.Pending().Single(r => r.Source == "b.fit"), 422, "no records", T0);

        var reopened = new SyncQueue(_state);
        Assert.Empty(reopened.Pending());
        Assert.Equal(EnqueueOutcome.AlreadyUploaded, reopened.Enqueue(SyncWorld.Sha(a), a, "again.fit", T0));
        Assert.Equal(EnqueueOutcome.AlreadyRejected, reopened.Enqueue(SyncWorld.Sha(b), b, "again.fit", T0));
        Assert.Equal(id, reopened.FindUploaded(SyncWorld.Sha(a))!.UploadId);
        Assert.Equal("no records", reopened.Rejected().Single().Reason);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_state, "queue")));
    }

    [Fact]
    public void LeftoversOfACrashedWriteAreRemovedOnOpen()
    {
        new SyncQueue(_state);
        var queueDir = Path.Combine(_state, "queue");
        File.WriteAllBytes(Path.Combine(queueDir, "abc.fit"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(queueDir, "def.json.tmp-123"), "{");
        var queue = new SyncQueue(_state);
        Assert.Empty(Directory.EnumerateFiles(queueDir));
        Assert.Empty(queue.Pending());
    }

    public void Dispose()
    {
        try { Directory.Delete(_state, recursive: true); }
        catch (IOException) { }
    }
}
