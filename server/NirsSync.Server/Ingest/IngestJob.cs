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
        var upload = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == uploadId);
        if (upload is not { Status: UploadStatus.Pending }) return;
        var bytes = await db.UploadBlobs.Where(b => b.UploadId == uploadId).Select(b => b.Bytes).SingleAsync();
        var athlete = await db.Athletes.AsNoTracking().Where(a => a.Id == upload.AthleteId)
            .Select(a => new { a.SensorMapJson, a.CoachPairsJson, a.TimeZone }).SingleAsync();
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
        var ride = new Ride { Id = rideId, AthleteId = upload.AthleteId, UploadId = uploadId };
        RideWriter.Apply(ride, content, AthleteTimeZones.Find(athlete.TimeZone), clock.GetUtcNow());
        if (await FinishAsync(uploadId, ride, null)) trends.Request(upload.AthleteId);
    }

    /// <summary>Stores the ride (or the failure) and closes the upload; false when another run already did.</summary>
    private Task<bool> FinishAsync(Guid uploadId, Ride? ride, string? failure) => gate.RunAsync(async () =>
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync();
        var upload = await db.Uploads.SingleAsync(u => u.Id == uploadId);
        if (upload.Status != UploadStatus.Pending) return false;
        upload.ProcessedAt = clock.GetUtcNow();
        if (ride is null)
        {
            upload.Status = UploadStatus.Failed;
            upload.Reason = failure;
            log.LogWarning("Upload {UploadId} failed: {Reason}", uploadId, failure);
        }
        else
        {
            db.Rides.Add(ride);
            upload.Status = UploadStatus.Processed;
            upload.RideId = ride.Id;
            upload.Warning ??= ride.Warning;
            var athlete = await db.Athletes.SingleAsync(a => a.Id == upload.AthleteId);
            athlete.RideVersion++;
            log.LogInformation("Upload {UploadId} stored as ride {RideId} ({Records} records)", uploadId, ride.Id,
                ride.RecordCount);
        }
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return true;
    }, upload: false);
}
