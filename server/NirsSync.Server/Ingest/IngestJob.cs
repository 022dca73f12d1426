using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using Microsoft.Extensions.Options;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Ingest;

/// <summary>
/// Ingests one upload: decode, analyze, store the ride and mark the upload processed in one
/// transaction. Idempotent: an upload that is no longer pending is left alone, and the ride's unique
/// upload id makes a second ride for the same upload impossible.
/// Faults: every attempt is counted in the upload's row before processing starts. A transient failure
/// (<see cref="Transient"/>) is retried with a doubling delay; a file that cannot become a ride fails at once with
/// its reason; after <see cref="NirsOptions.MaxIngestAttempts"/> attempts, whether they failed or the process did
/// not survive them, the upload is failed with that reason instead of being retried (or crash-looping) for ever.
/// </summary>
public sealed class IngestJob(NirsDbContext db, WriteGate gate, RideProcessor processor, TrendScheduler trends,
    IngestQueue queue, IOptions<NirsOptions> options, TimeProvider clock, ILogger<IngestJob> log, ExportMerge exports)
{
    /// <summary>Marks a pending upload's reason while it waits for a retry.</summary>
    public const string RetryingPrefix = "retrying: ";

    /// <summary>
    /// Ingests an upload by id. Kept as a Hangfire entry point so that jobs queued by an earlier version (before the
    /// <see cref="IngestQueue"/>) still run; idempotent either way.
    /// </summary>
    /// It takes the upload's lease first, like the workers, so it never runs an upload a worker is running.
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(Guid uploadId)
    {
        if (!await queue.ClaimAsync(db, gate, uploadId)) return;
        try
        {
            await RunClaimedAsync(uploadId);
        }
        finally
        {
            queue.Finished(uploadId);
        }
    }

    /// <summary>Ingests an upload the <see cref="IngestQueue"/> claimed for this run (the claim counted the attempt).</summary>
    public async Task RunClaimedAsync(Guid uploadId)
    {
        using var scope = log.BeginScope(new Dictionary<string, object> { ["UploadId"] = uploadId });
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        string outcome;
        try
        {
            outcome = await RunOnceAsync(uploadId);
        }
        catch (Exception e) when (Transient.Is(e))
        {
            await RetryLaterAsync(uploadId, e);
            outcome = "retrying";
        }
        Observability.NirsMetrics.IngestDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("outcome", outcome));
    }

    private async Task<string> RunOnceAsync(Guid uploadId)
    {
        var input = await ReadInput.For(db)(db, uploadId);
        if (input is not { Upload: { Status: UploadStatus.Pending } upload }) return "skipped";
        var max = Math.Max(1, options.Value.MaxIngestAttempts);
        // Attempts started before this one: the claim counted this one already (before the work, so a run that
        // takes the process down is still counted).
        var before = upload.Attempts - 1;
        if (before >= max)
        {
            var last = upload.Reason is { } r && r.StartsWith(RetryingPrefix, StringComparison.Ordinal) ? $"; last: {r[RetryingPrefix.Length..]}" : "";
            await FinishAsync(uploadId, null, $"processing was started {before} times without finishing (a transient failure each time, "
                + $"or the server stopped or crashed while processing it){last}; upload the file again to retry");
            return "failed";
        }
        if (input.Bytes is not { } bytes)
        {
            // Stored with its row in one transaction, so this is damage (a restore without the blobs, say): say so
            // instead of leaving the upload pending for ever.
            await FinishAsync(uploadId, null, "the upload's bytes are missing from the database (restored without its UploadBlobs?); restore them from a backup");
            return "failed";
        }
        // A sensor export (told by content at intake): its own ride, or joined to the FIT ride it overlaps.
        if (upload.ExportFormat is not null)
        {
            await exports.IngestAsync(upload, bytes);
            return "export";
        }
        var athlete = input;
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
        catch (Exception e) when (e is not OperationCanceledException && !Transient.Is(e))
        {
            // A fault of the decoder or analysis on these bytes: the same inputs fail the same way, so retrying
            // cannot help, and the upload must not stay pending for ever.
            log.LogError(e, "Upload {UploadId} could not be processed", uploadId);
            await FinishAsync(uploadId, null, $"the ride could not be processed: {e.GetType().Name}: {e.Message}");
            return "failed";
        }
        var ride = new Ride { Id = rideId, AthleteId = upload.AthleteId, UploadId = uploadId };
        RideWriter.Apply(ride, content, AthleteTimeZones.Find(athlete.TimeZone), clock.GetUtcNow(), options.Value.RideDocumentSchema);
        if (!await FinishAsync(uploadId, ride, null, content.Assessment)) return "skipped";
        await trends.RequestAsync(upload.AthleteId);
        // Exports of the athlete that arrived first and overlap this ride join it (a failure queues the join as a job).
        await exports.JoinWaitingOrLaterAsync(ride);
        return "processed";
    }

    /// <summary>What an ingest reads: the upload, its bytes and the athlete's analysis inputs.</summary>
    private sealed record IngestInput(Upload Upload, byte[]? Bytes, string SensorMapJson, string CoachPairsJson, string TimeZone);

    /// <summary>The upload, its bytes and the athlete's inputs in one round trip (the common case needs all three).</summary>
    private static readonly CompiledQuery<Func<NirsDbContext, Guid, Task<IngestInput?>>> ReadInput = new(() => EF.CompileAsyncQuery(
        (NirsDbContext db, Guid id) => (from u in db.Uploads.AsNoTracking()
                                        join b in db.UploadBlobs.AsNoTracking() on u.Id equals b.UploadId into blobs
                                        from b in blobs.DefaultIfEmpty()
                                        join a in db.Athletes.AsNoTracking() on u.AthleteId equals a.Id
                                        where u.Id == id
                                        select new IngestInput(u, b == null ? null : b.Bytes, a.SensorMapJson, a.CoachPairsJson, a.TimeZone)).FirstOrDefault()));

    /// <summary>After a transient failure: schedule the next attempt with a doubling delay, or fail after the last.</summary>
    private async Task RetryLaterAsync(Guid uploadId, Exception e)
    {
        GC.Collect(); // an OutOfMemoryException leaves garbage worth returning before anything else runs
        var error = $"{e.GetType().Name}: {e.Message}";
        var upload = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == uploadId);
        if (upload is not { Status: UploadStatus.Pending }) return;
        var max = Math.Max(1, options.Value.MaxIngestAttempts);
        if (upload.Attempts >= max)
        {
            await FinishAsync(uploadId, null, $"gave up after {upload.Attempts} attempts; last: {error}; upload the file again to retry");
            return;
        }
        var delay = TimeSpan.FromSeconds(options.Value.IngestRetryBaseSeconds * Math.Pow(2, Math.Max(0, upload.Attempts - 1)));
        log.LogWarning(e, "Upload {UploadId} attempt {Attempt} failed transiently; retry in {Delay}", uploadId, upload.Attempts, delay);
        var note = $"{RetryingPrefix}attempt {upload.Attempts} failed ({error}); next in {delay.TotalSeconds:0.#} s";
        // Back in the queue, due after the delay; whichever worker is free then takes it.
        await queue.ReleaseAsync(db, gate, uploadId, delay, note);
    }

    /// <summary>
    /// Stores the ride (or the failure) and closes the upload; false when another run already did. The
    /// conditional update of the pending row is the claim: it row-locks the upload, so of two runs on two nodes
    /// the second waits, then finds the upload no longer pending and changes nothing. The athlete's version is
    /// bumped in place (never read-modify-write), so concurrent rides of one athlete on several nodes all count.
    /// </summary>
    private Task<bool> FinishAsync(Guid uploadId, Ride? ride, string? failure, NirsSync.Analysis.RestAssessment? assessment = null) => gate.RunAsync(async () =>
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync();
        var now = clock.GetUtcNow();
        var status = ride is null ? UploadStatus.Failed : UploadStatus.Processed;
        var rideId = ride?.Id;
        var rideWarning = ride?.Warning;
        int claimed;
        await using (var close = await RowCommand.CreateAsync(db, """
            UPDATE "Uploads" SET "Status" = @status, "ProcessedAt" = @now, "Reason" = @reason, "RideId" = @ride,
                "Warning" = COALESCE("Warning", @warning), "LeaseOwner" = NULL, "LeaseUntil" = NULL
            WHERE "Id" = @id AND "Status" = 'Pending'
            """))
        {
            claimed = await close.With<Upload>("status", nameof(Upload.Status), status).With<Upload>("now", nameof(Upload.ProcessedAt), now)
                .With<Upload>("reason", nameof(Upload.Reason), failure).With<Upload>("ride", nameof(Upload.RideId), rideId)
                .With<Upload>("warning", nameof(Upload.Warning), rideWarning).With<Upload>("id", nameof(Upload.Id), uploadId)
                .ExecuteAsync();
        }
        if (claimed == 0) return false;
        if (ride is null)
        {
            log.LogWarning("Upload {UploadId} failed: {Reason}", uploadId, failure);
        }
        else
        {
            // Written once: a plain INSERT (RowInsert), not SaveChanges' tracking and batching.
            await RowInsert.InsertAsync(db, ride);
            await AssessmentSpotChecks.StoreAsync(db, ride.AthleteId, ride.Id, assessment, now, newRide: true);
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync();
            await using (var bump = await RowCommand.CreateAsync(db, """
                UPDATE "Athletes" SET "RideVersion" = "RideVersion" + 1 WHERE "Id" = @id
                """))
                await bump.With<Athlete>("id", nameof(Athlete.Id), ride.AthleteId).ExecuteAsync();
            log.LogInformation("Upload {UploadId} stored as ride {RideId} ({Records} records)", uploadId, ride.Id,
                ride.RecordCount);
        }
        await tx.CommitAsync();
        return true;
    }, upload: false);
}
