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
        using var scope = log.BeginScope(new Dictionary<string, object> { ["UploadId"] = uploadId });
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await IngestAsync(uploadId);
        Observability.NirsMetrics.IngestDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("outcome", outcome));
    }

    private async Task<string> IngestAsync(Guid uploadId)
    {
        var upload = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == uploadId);
        if (upload is not { Status: UploadStatus.Pending }) return "skipped";
        var bytes = await db.UploadBlobs.Where(b => b.UploadId == uploadId).Select(b => b.Bytes).SingleAsync();
        var athlete = await db.Athletes.AsNoTracking().Where(a => a.Id == upload.AthleteId)
            .Select(a => new { a.SensorMapJson, a.CoachPairsJson }).SingleAsync();
        var rideId = Guid.CreateVersion7();
        RideContent content;
        try
        {
            content = processor.Process(bytes, athlete.SensorMapJson, athlete.CoachPairsJson, rideId);
        }
        catch (RideRejectedException e)
        {
            await FinishAsync(uploadId, null, e.Message);
            return "rejected";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Processing is a pure function of the bytes, the map and the pairs: retrying cannot help, and the
            // upload must not stay pending for ever.
            log.LogError(e, "Upload {UploadId} could not be processed", uploadId);
            await FinishAsync(uploadId, null, $"the ride could not be processed: {e.GetType().Name}: {e.Message}");
            return "failed";
        }
        var ride = new Ride { Id = rideId, AthleteId = upload.AthleteId, UploadId = uploadId };
        RideWriter.Apply(ride, content, clock.GetUtcNow());
        if (!await FinishAsync(uploadId, ride, null)) return "skipped";
        await trends.RequestAsync(upload.AthleteId);
        return "processed";
    }

    /// <summary>
    /// Stores the ride (or the failure) and closes the upload; false when another run already did. The
    /// conditional update of the pending row is the claim: it row-locks the upload, so of two runs on two nodes
    /// the second waits, then finds the upload no longer pending and changes nothing. The athlete's version is
    /// bumped in place (never read-modify-write), so concurrent rides of one athlete on several nodes all count.
    /// </summary>
    private Task<bool> FinishAsync(Guid uploadId, Ride? ride, string? failure) => gate.RunAsync(async () =>
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync();
        var now = clock.GetUtcNow();
        var status = ride is null ? UploadStatus.Failed : UploadStatus.Processed;
        var rideId = ride?.Id;
        var rideWarning = ride?.Warning;
        var claimed = await db.Uploads.Where(u => u.Id == uploadId && u.Status == UploadStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, status)
                .SetProperty(u => u.ProcessedAt, now)
                .SetProperty(u => u.Reason, failure)
                .SetProperty(u => u.RideId, rideId)
                .SetProperty(u => u.Warning, u => u.Warning ?? rideWarning));
        if (claimed == 0) return false;
        if (ride is null)
        {
            log.LogWarning("Upload {UploadId} failed: {Reason}", uploadId, failure);
        }
        else
        {
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
