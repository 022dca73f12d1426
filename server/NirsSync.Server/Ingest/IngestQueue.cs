using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Ingest;

/// <summary>
/// The ingest queue is the uploads table itself: every pending upload is work, and nothing else needs to be
/// stored, recovered or kept in step with it. A worker claims the oldest pending upload that nobody holds (or whose
/// holder's lease lapsed) and is due, in one conditional statement that also counts the attempt; PostgreSQL takes
/// the candidate row with <c>FOR UPDATE SKIP LOCKED</c>, so workers on any number of nodes never claim the same
/// upload while its lease holds; SQLite has one writer (the <see cref="WriteGate"/>). The node renews the claims of
/// the uploads it is running now (and only those: a claim whose run ended without closing the upload lapses); an
/// upload whose node died is claimed again after <see cref="NirsOptions.IngestLeaseSeconds"/>. Leases compare the
/// nodes' clocks, so nodes must keep time (NTP); a clock ahead by more than a lease would take live claims, which
/// costs a second run of the upload (the finish is conditional: never a second ride). This replaced one Hangfire job
/// per upload (enqueue, dispatch, three state changes): ~11 % of the server's CPU samples under the upload bench
/// (docs/performance.md).
/// </summary>
public sealed class IngestQueue(IOptions<NirsOptions> options, TimeProvider clock, ILogger<IngestQueue> log) : IDisposable
{
    /// <summary>The PostgreSQL channel a web node notifies when it stored an upload.</summary>
    public const string Channel = "nirssync_ingest";

    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> _running = new();
    private readonly bool _postgres = options.Value.IsPostgres;

    /// <summary>
    /// This node's name in the leases it holds: a per-start id first (never cut off, so a restarted container with
    /// the same host name and pid is another owner), then host and process for people reading the table.
    /// </summary>
    public string Owner { get; } = Truncate($"{Guid.NewGuid():N}:{Environment.ProcessId}:{Environment.MachineName}", 64);

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(2, options.Value.IngestLeaseSeconds));

    public TimeSpan Poll => TimeSpan.FromSeconds(Math.Clamp(options.Value.IngestPollSeconds, 0.05, 60));

    /// <summary>Wakes an idle worker of this node (an upload was stored here, or another node said so).</summary>
    public void Wake()
    {
        // Bounded: more permits than workers would only make idle workers look again for nothing.
        if (_wake.CurrentCount < Math.Max(2, options.Value.Workers) * 2) _wake.Release();
    }

    /// <summary>Wakes a worker when a retry's back-off ends (the poll would find it too, up to a poll later).</summary>
    public void WakeAfter(TimeSpan delay) =>
        _ = Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay).ContinueWith(_ => Wake(), TaskScheduler.Default);

    /// <summary>Waits until woken or until the poll interval passed; false when stopping.</summary>
    public async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _wake.WaitAsync(Poll, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Tells idle workers that an upload is waiting: this node's own at once, and in postgres mode every worker
    /// node listening on <see cref="Channel"/>. A lost notification costs at most a poll interval.
    /// </summary>
    public async Task NotifyAsync(NirsDbContext db, CancellationToken cancellationToken)
    {
        Wake();
        if (!_postgres) return;
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_notify('{Channel}', '')", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The upload is stored; the workers' poll finds it.
            log.LogWarning(e, "Could not notify the worker nodes of a new upload; they find it at their next poll");
        }
    }

    /// <summary>
    /// Claims the oldest due pending upload nobody holds, counting the attempt; null when there is none. The claim
    /// and the attempt are one statement, so a run that takes the process down is still counted.
    /// </summary>
    public async Task<Guid?> ClaimAsync(NirsDbContext db, WriteGate gate, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // "=" and not "IN": the subquery runs once, so one statement claims at most one upload.
        var sql = """
            UPDATE "Uploads" SET "LeaseOwner" = @owner, "LeaseUntil" = @until, "Attempts" = "Attempts" + 1
            WHERE "Id" = (
                SELECT "Id" FROM "Uploads"
                WHERE "Status" = 'Pending' AND ("LeaseUntil" IS NULL OR "LeaseUntil" < @now)
                  AND ("NextAttemptAt" IS NULL OR "NextAttemptAt" <= @now)
                ORDER BY "ReceivedAt" LIMIT 1
            """ + (_postgres ? " FOR UPDATE SKIP LOCKED" : "") + """
            )
            RETURNING "Id"
            """;
        var id = await gate.RunAsync(async () =>
        {
            await using var command = await RowCommand.CreateAsync(db, sql, cancellationToken).ConfigureAwait(false);
            return await command.With<Upload>("owner", nameof(Upload.LeaseOwner), Owner)
                .With<Upload>("until", nameof(Upload.LeaseUntil), now + Lease)
                .With<Upload>("now", nameof(Upload.LeaseUntil), now)
                .FirstOrNullAsync<Guid>(cancellationToken).ConfigureAwait(false);
        }, upload: false, cancellationToken).ConfigureAwait(false);
        if (id is not { } claimed) return null;
        _running.TryAdd(claimed, 0);
        return claimed;
    }

    /// <summary>
    /// Claims one given upload if it is pending and nobody holds it (a Hangfire ingest job queued by an earlier
    /// version, or a direct run): false when it is not to be run here. Counts the attempt like <see cref="ClaimAsync"/>.
    /// </summary>
    public async Task<bool> ClaimAsync(NirsDbContext db, WriteGate gate, Guid uploadId)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? until = now + Lease;
        var owner = Owner;
        var claimed = await gate.RunAsync(() => db.Uploads
            .Where(u => u.Id == uploadId && u.Status == UploadStatus.Pending && (u.LeaseUntil == null || u.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LeaseOwner, owner).SetProperty(u => u.LeaseUntil, until)
                .SetProperty(u => u.Attempts, u => u.Attempts + 1)), upload: false).ConfigureAwait(false);
        if (claimed == 0) return false;
        _running.TryAdd(uploadId, 0);
        return true;
    }

    /// <summary>The run of a claimed upload ended (whatever became of it): its claim is no longer renewed.</summary>
    public void Finished(Guid uploadId) => _running.TryRemove(uploadId, out _);

    /// <summary>
    /// Extends the claims of the uploads this node is running now. A claim whose run ended without closing or
    /// releasing the upload (the database away at that moment) is not renewed, so it lapses and another run takes it.
    /// </summary>
    public async Task<int> RenewAsync(NirsDbContext db, WriteGate gate, CancellationToken cancellationToken)
    {
        var running = _running.Keys.ToList();
        if (running.Count == 0) return 0;
        var until = clock.GetUtcNow() + Lease;
        // A plain statement (one parameter per running upload: at most the node's workers), like the claim: as an EF
        // ExecuteUpdate its first run in a process compiled the query inside the gate (64 ms measured, every upload in
        // flight waiting).
        var sql = $"""
            UPDATE "Uploads" SET "LeaseUntil" = @until
            WHERE "Id" IN ({string.Join(", ", running.Select((_, i) => $"@id{i}"))}) AND "LeaseOwner" = @owner AND "Status" = 'Pending'
            """;
        return await gate.RunAsync(async () =>
        {
            await using var command = await RowCommand.CreateAsync(db, sql, cancellationToken).ConfigureAwait(false);
            command.With<Upload>("until", nameof(Upload.LeaseUntil), until).With<Upload>("owner", nameof(Upload.LeaseOwner), Owner);
            for (var i = 0; i < running.Count; i++) command.With<Upload>($"id{i}", nameof(Upload.Id), running[i]);
            return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }, upload: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pending uploads nobody holds now, and those a worker holds (for the queue-depth metric).</summary>
    public async Task<(long Waiting, long Claimed)> DepthAsync(NirsDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var counts = await db.Uploads.AsNoTracking().Where(u => u.Status == UploadStatus.Pending)
            .GroupBy(u => u.LeaseUntil != null && u.LeaseUntil > now)
            .Select(g => new { Claimed = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return (counts.Where(c => !c.Claimed).Sum(c => c.Count), counts.Where(c => c.Claimed).Sum(c => c.Count));
    }

    /// <summary>
    /// Puts a claimed upload back in the queue, due after <paramref name="backOff"/> (its attempt stays counted):
    /// after a transient failure (with the <paramref name="reason"/> the upload shows while it waits), or when a run
    /// ended without closing the upload (a fault outside the job's own handling; the reason is left as it was).
    /// </summary>
    public Task ReleaseAsync(NirsDbContext db, WriteGate gate, Guid uploadId, TimeSpan backOff, string? reason = null)
    {
        DateTimeOffset? next = clock.GetUtcNow() + backOff;
        var owner = Owner;
        WakeAfter(backOff);
        return gate.RunAsync(() => db.Uploads
            .Where(u => u.Id == uploadId && u.LeaseOwner == owner && u.Status == UploadStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LeaseOwner, (string?)null)
                .SetProperty(u => u.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(u => u.NextAttemptAt, next)
                .SetProperty(u => u.Reason, u => reason ?? u.Reason)), upload: false);
    }

    /// <summary>
    /// SQLite (one process) at start: claims left by this process's previous life are void (nobody else could hold
    /// them), and uploads waiting out a retry's back-off are tried at once, as a restart always did.
    /// </summary>
    public Task<int> ReleaseAllAsync(NirsDbContext db, WriteGate gate, CancellationToken cancellationToken) =>
        gate.RunAsync(() => db.Uploads.Where(u => u.Status == UploadStatus.Pending && (u.LeaseOwner != null || u.NextAttemptAt != null))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LeaseOwner, (string?)null)
                .SetProperty(u => u.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(u => u.NextAttemptAt, (DateTimeOffset?)null), cancellationToken), upload: false, cancellationToken);

    public void Dispose() => _wake.Dispose();

    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..length];
}
