using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Ingest;

/// <summary>
/// Ingests one upload: decode, analyze, store the ride and mark the upload processed in one
/// transaction. Idempotent: an upload that is no longer pending is left alone, and the ride's unique
/// upload id makes a second ride for the same upload impossible.
/// </summary>
public sealed class IngestJob(NirsDbContext db, WriteGate gate, RideProcessor processor, TrendScheduler trends,
    TimeProvider clock, ILogger<IngestJob> log)
{
    [AutomaticRetry(Attempts = 5, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(Guid uploadId)
    {
        // One round trip: the pending upload, its bytes and what of the athlete the analysis needs.
        var work = await (
            from u in db.Uploads.AsNoTracking()
            where u.Id == uploadId && u.Status == UploadStatus.Pending
            join b in db.UploadBlobs on u.Id equals b.UploadId
            join a in db.Athletes on u.AthleteId equals a.Id
            select new { u.AthleteId, b.Bytes, a.SensorMapJson, a.CoachPairsJson, a.TimeZone }).FirstOrDefaultAsync();
        if (work is null) return;
        var (bytes, athlete) = (work.Bytes, work);
        var rideId = Guid.CreateVersion7();
        RideContent content;
        try
        {
            content = processor.Process(bytes, athlete.SensorMapJson, athlete.CoachPairsJson, rideId);
        }
        catch (RideRejectedException e)
        {
            await FinishAsync(uploadId, null, e.Message);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Processing is a pure function of the bytes, the map and the pairs: retrying cannot help, and the
            // upload must not stay pending for ever.
            log.LogError(e, "Upload {UploadId} could not be processed", uploadId);
            await FinishAsync(uploadId, null, $"the ride could not be processed: {e.GetType().Name}: {e.Message}");
            return;
        }
        var ride = new Ride { Id = rideId, AthleteId = work.AthleteId, UploadId = uploadId };
        RideWriter.Apply(ride, content, AthleteTimeZones.Find(athlete.TimeZone), clock.GetUtcNow());
        if (await FinishAsync(uploadId, ride, null)) trends.Request(work.AthleteId);
    }

    /// <summary>Stores the ride (or the failure) and closes the upload; false when another run already did.</summary>
    private Task<bool> FinishAsync(Guid uploadId, Ride? ride, string? failure) => gate.RunAsync(async () =>
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync();
        var now = clock.GetUtcNow();
        // Conditional updates instead of reading the rows first: the upload closes only while still pending.
        int closed;
        if (ride is null)
        {
            closed = await db.Uploads.Where(u => u.Id == uploadId && u.Status == UploadStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UploadStatus.Failed)
                    .SetProperty(u => u.Reason, failure).SetProperty(u => u.ProcessedAt, now));
            if (closed == 0) return false;
            log.LogWarning("Upload {UploadId} failed: {Reason}", uploadId, failure);
        }
        else
        {
            var warning = ride.Warning;
            closed = await db.Uploads.Where(u => u.Id == uploadId && u.Status == UploadStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UploadStatus.Processed)
                    .SetProperty(u => u.RideId, ride.Id).SetProperty(u => u.Warning, u => u.Warning ?? warning)
                    .SetProperty(u => u.ProcessedAt, now));
            if (closed == 0) return false;
            db.Rides.Add(ride);
            await db.SaveChangesAsync();
            await db.Athletes.Where(a => a.Id == ride.AthleteId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.RideVersion, a => a.RideVersion + 1));
            log.LogInformation("Upload {UploadId} stored as ride {RideId} ({Records} records)", uploadId, ride.Id,
                ride.RecordCount);
        }
        await tx.CommitAsync();
        return true;
    }, upload: false);
}
