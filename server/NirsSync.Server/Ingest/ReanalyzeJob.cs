using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Ingest;

/// <summary>
/// Re-analyzes an athlete's rides from the stored upload bytes, the current sensor map and the coach's
/// current pairs: the rides that used sensors whose map entry changed, or every ride when the pairs
/// changed. Idempotent: the result depends only on the bytes, the map and the pairs.
/// </summary>
public sealed class ReanalyzeJob(NirsDbContext db, WriteGate gate, TrendScheduler trends,
    IBackgroundJobClient jobs, TimeProvider clock, JobStorage storage, ILogger<ReanalyzeJob> log, ExportMerge exports,
    Microsoft.Extensions.Options.IOptions<NirsOptions> options)
{
    /// <summary>After a sensor map change: the rides whose channels came from <paramref name="devices"/>.</summary>
    [AutomaticRetry(Attempts = 3)]
    public Task RunAsync(Guid athleteId, int[] devices) =>
        ReanalyzeAsync(athleteId, channels => RideDevices.Uses(channels, devices), "a sensor map change");

    /// <summary>After a change of the coach's pairs: every ride of the athlete.</summary>
    [AutomaticRetry(Attempts = 3)]
    public Task RunAllAsync(Guid athleteId) => ReanalyzeAsync(athleteId, _ => true, "a change of the coach's pairs");

    /// <summary>After the efforts given for one ride were set or cleared: that ride (with the efforts stored on it then).</summary>
    [AutomaticRetry(Attempts = 3)]
    public Task RunRideAsync(Guid athleteId, Guid rideId) =>
        ReanalyzeAsync(athleteId, _ => true, "a change of its given efforts", rideId);

    /// <summary>
    /// Runs the re-analysis recorded in the athlete's row (see <see cref="ReanalysisRequests"/>) when the row's due
    /// time is still <paramref name="dueUtcTicks"/> (else a later change owns it and its own run does the work), and
    /// clears the marker unless a newer change replaced it meanwhile.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task RunPendingAsync(Guid athleteId, long dueUtcTicks)
    {
        var marker = await db.Athletes.AsNoTracking().Where(a => a.Id == athleteId)
            .Select(a => new { a.ReanalyzePending, a.ReanalyzeDueAt }).FirstOrDefaultAsync();
        if (marker?.ReanalyzePending is not { } pending) return;
        if (marker.ReanalyzeDueAt is { } due)
        {
            if (due.UtcTicks != dueUtcTicks) return;
            // Hangfire's schedule has whole-second resolution: a run may wake a little early.
            var early = due - clock.GetUtcNow();
            if (early > TimeSpan.Zero)
            {
                jobs.Schedule<ReanalyzeJob>(job => job.RunPendingAsync(athleteId, dueUtcTicks), early + TimeSpan.FromMilliseconds(50));
                return;
            }
        }
        if (ReanalysisRequests.Devices(pending) is { } devices)
            await ReanalyzeAsync(athleteId, channels => RideDevices.Uses(channels, devices), "a sensor map change");
        else
            await ReanalyzeAsync(athleteId, _ => true, "a change of the coach's pairs");
        await gate.RunAsync(() => db.Athletes
            .Where(a => a.Id == athleteId && a.ReanalyzePending == pending && a.ReanalyzeDueAt == marker.ReanalyzeDueAt)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ReanalyzePending, (string?)null)
                .SetProperty(a => a.ReanalyzeDueAt, (DateTimeOffset?)null)), upload: false);
    }

    private async Task ReanalyzeAsync(Guid athleteId, Func<IEnumerable<Analysis.ChannelInfo>, bool> affects, string reason,
        Guid? onlyRide = null)
    {
        // One re-analysis of an athlete at a time across every node (Hangfire's distributed lock lives in the
        // job storage: the database in postgres mode); a second run waits, then works from the newest map.
        using var connection = storage.GetConnection();
        using var exclusive = connection.AcquireDistributedLock($"nirssync:reanalyze:{athleteId}", TimeSpan.FromMinutes(10));
        var athlete = await db.Athletes.AsNoTracking().Where(a => a.Id == athleteId)
            .Select(a => new { a.SensorMapJson, a.CoachPairsJson, a.TimeZone }).FirstOrDefaultAsync();
        if (athlete is null) return;
        var rides = await db.Rides.AsNoTracking().Where(r => r.AthleteId == athleteId && (onlyRide == null || r.Id == onlyRide))
            .Select(r => new { r.Id, r.UploadId, r.Document, r.GivenEffortsJson }).ToListAsync();
        var affected = rides.Where(r => affects(RideDocuments.Read(r.Document).Channels)).ToList();
        var zone = AthleteTimeZones.Find(athlete.TimeZone);
        foreach (var ride in affected)
        {
            // The ride's own lock, the one an export takes to join it (ExportMerge): a join and this re-analysis both
            // read the ride's inputs and write the whole ride, so without it the later writer drops the other's work.
            // Always the athlete's lock first, then the ride's (a join takes only the ride's), so they cannot deadlock.
            using var rideLock = connection.AcquireDistributedLock($"nirssync:ride-join:{ride.Id}", TimeSpan.FromMinutes(10));
            // Read again under the lock: a join may have removed an export's own ride, or efforts may have been given.
            var current = await db.Rides.AsNoTracking().Where(r => r.Id == ride.Id)
                .Select(r => new { r.GivenEffortsJson }).FirstOrDefaultAsync();
            if (current is null) continue;
            var bytes = await db.UploadBlobs.AsNoTracking().Where(b => b.UploadId == ride.UploadId)
                .Select(b => b.Bytes).SingleAsync();
            RideContent content;
            try
            {
                // A FIT ride with exports joined, or an export's own ride, is rebuilt with them; a plain FIT ride as before.
                content = await exports.ContentAsync(ride.Id, ride.UploadId, bytes, athlete.SensorMapJson,
                    athlete.CoachPairsJson, athlete.TimeZone, GivenEfforts.ToAnalysis(current.GivenEffortsJson));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The stored ride stays as it was; the inputs decide, so a retry would fail again.
                log.LogWarning(e, "Ride {RideId} could not be re-analyzed: {Reason}", ride.Id, e.Message);
                continue;
            }
            await gate.RunAsync(async () =>
            {
                db.ChangeTracker.Clear();
                // The ride and the athlete's ride version in one transaction: trends computed between the two would
                // otherwise read as current while they miss the re-analysed ride.
                await using var tx = await db.Database.BeginTransactionAsync();
                var row = await db.Rides.SingleAsync(r => r.Id == ride.Id);
                RideWriter.Apply(row, content, zone, clock.GetUtcNow(), options.Value.RideDocumentSchema);
                await AssessmentSpotChecks.StoreAsync(db, athleteId, ride.Id, content.Assessment, clock.GetUtcNow());
                await db.SaveChangesAsync();
                await db.Athletes.Where(a => a.Id == athleteId)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.RideVersion, a => a.RideVersion + 1));
                await tx.CommitAsync();
            }, upload: false);
        }
        if (affected.Count == 0) return;
        await trends.RequestAsync(athleteId);
        log.LogInformation("Re-analyzed {Count} rides of athlete {AthleteId} after {Reason}", affected.Count, athleteId, reason);
    }
}
