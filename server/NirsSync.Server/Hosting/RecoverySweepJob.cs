using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NirsSync.Data;
using NirsSync.Server.Ingest;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Hosting;

/// <summary>
/// PostgreSQL mode's recovery, every minute on one node (a Hangfire recurring job) and once at each worker's start.
/// Uploads cannot be lost: the pending rows are the ingest queue (<see cref="IngestQueue"/>; a dead node's claims
/// lapse). What can be lost is a join of waiting sensor exports whose node died after the FIT ride's commit, and a
/// trend request whose node died before scheduling it. So: when nothing is under way (no pending upload, no Hangfire
/// job but this sweep), every export standing alone beside a FIT ride it overlaps gets its join; every athlete whose
/// trends are behind without a young request gets a trend run. Both jobs are idempotent, so a duplicate costs time,
/// never a second ride. Serialised across nodes by a distributed lock.
/// </summary>
public sealed class RecoverySweepJob(NirsDbContext db, IBackgroundJobClient jobs, JobStorage storage, TimeProvider clock,
    ILogger<RecoverySweepJob> log, ExportMerge exports)
{
    public const string Id = "recovery-sweep";

    /// <summary>A trend request this old without its run having started is taken as lost.</summary>
    public static readonly TimeSpan LostTrendRequest = TimeSpan.FromMinutes(2);

    private static readonly DateTimeOffsetToBinaryConverter Stamp = new();

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public async Task RunAsync()
    {
        using (var connection = storage.GetConnection())
        using (connection.AcquireDistributedLock("nirssync:recovery-sweep", TimeSpan.FromSeconds(30)))
        {
            var monitor = storage.GetMonitoringApi();
            // This sweep itself counts as processing when it runs as a job; a pending upload may be about to join.
            var idle = monitor.EnqueuedCount("default") + monitor.ScheduledCount() + monitor.ProcessingCount() <= 1
                && !await db.Uploads.AnyAsync(u => u.Status == UploadStatus.Pending);
            // Sensor exports still standing alone beside a FIT ride they overlap: a join lost between the ride's commit
            // and its join job (only looked for when idle, so that joins under way are not doubled).
            var joins = idle ? await exports.WaitingJoinsAsync() : [];
            foreach (var rideId in joins) jobs.Enqueue<ExportMerge>(m => m.JoinWaitingJobAsync(rideId));

            var cutoff = (long)Stamp.ConvertToProvider(clock.GetUtcNow() - LostTrendRequest)!;
            var fresh = await db.Database.SqlQuery<Guid>(
                $"""SELECT "AthleteId" AS "Value" FROM "TrendRequests" WHERE "RequestedAt" >= {cutoff}""").ToListAsync();
            var stale = await db.Athletes.AsNoTracking().Where(a => a.TrendsVersion < a.RideVersion && !fresh.Contains(a.Id))
                .Select(a => a.Id).ToListAsync();
            if (stale.Count > 0) await db.TrendRequests.Where(t => stale.Contains(t.AthleteId)).ExecuteDeleteAsync();
            foreach (var id in stale) jobs.Enqueue<TrendJob>(job => job.RunAsync(id));
            if (stale.Count + joins.Count > 0)
                log.LogWarning("Recovery sweep queued {Stale} stale trend sets and {Joins} export joins again", stale.Count, joins.Count);
        }
    }
}
