using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Analysis;
using NirsSync.Data;
using NirsSync.Fit;
using NirsSync.SensorExports;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Ingest;

/// <summary>How an export joined to a ride is placed: the offset applied, the one found and its correlation.</summary>
public sealed record JoinedExport(Guid UploadId, double AppliedOffsetS, double? FoundOffsetS, double? Correlation);

/// <summary>
/// Sensor exports in the ingest. An export upload is read in the athlete's time zone (the upload time as the
/// reference for a Moxy date without a year, the upload's start when given) and becomes a ride of its own,
/// unless it overlaps a FIT ride of the same athlete: then its channels join that ride (RideFrameMerge) at the
/// offset the alignment finds (RecordingAlignment) or the one set by hand, and the export's upload links to it.
/// A FIT ride arriving after an export takes the overlapping exports that stand alone, whose own rides go.
/// Across nodes: joins to one ride run one at a time (a distributed lock per ride, in the job storage), an export is
/// claimed and linked only from the state its join was computed from (conditional updates), and a join that fails
/// after the FIT ride committed is retried as its own job; the recovery sweep (and a SQLite node's start) finds any
/// export still standing alone beside a FIT ride it overlaps (<see cref="WaitingJoinsAsync"/>).
/// </summary>
public sealed class ExportMerge(NirsDbContext db, WriteGate gate, RideProcessor processor, TrendScheduler trends,
    TimeProvider clock, ILogger<ExportMerge> log, IBackgroundJobClient jobs, JobStorage storage,
    Microsoft.Extensions.Options.IOptions<NirsOptions> options)
{
    /// <summary>Longest wait for another join of the same ride before this one fails (and is retried).</summary>
    private static readonly TimeSpan RideLockTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Attempts at a join whose exports changed state meanwhile, each computed again from the new state.</summary>
    private const int MaxJoinAttempts = 5;

    /// <summary>An export changed state between the join's read and its write: the join is computed again.</summary>
    private sealed class ExportStateChangedException(Guid uploadId)
        : Exception($"sensor export {uploadId} changed state while the join was computed");

    private sealed record AthleteInputs(string SensorMapJson, string CoachPairsJson, string TimeZone);

    /// <summary>Reads an export upload into analysis input.</summary>
    /// <exception cref="RideRejectedException">Damaged (the reader's line and column), empty, or without a date and no start given.</exception>
    public static RideFrame ReadFrame(Upload upload, byte[] bytes, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(upload);
        SensorExport export;
        try
        {
            export = SensorExportReader.Read(bytes, new SensorExportOptions
            {
                TimeZone = AthleteTimeZones.Find(timeZone), Reference = upload.ReceivedAt, Start = upload.ExportStart,
            });
        }
        catch (SensorExportException e)
        {
            throw new RideRejectedException($"unreadable sensor export: {e.Message}");
        }
        if (export.Count == 0) throw new RideRejectedException($"the {export.Format} export holds no samples");
        if (export.Start is null)
            throw new RideRejectedException($"the {export.Format} export states no date, so its start is missing: give it with the upload "
                + "as ?start=2026-02-06T13:17:13%2B01:00 (or the X-Export-Start header; nirssync upload --start)");
        if (export.Channels.Count == 0) throw new RideRejectedException($"the {export.Format} export has no muscle-oxygen sensor");
        return export.ToRideFrame();
    }

    /// <summary>The ingest of an export upload (pending): its own ride, or joined to the FIT ride it overlaps.</summary>
    public async Task IngestAsync(Upload upload, byte[] bytes)
    {
        var athlete = await InputsAsync(upload.AthleteId);
        RideFrame frame;
        RideContent content;
        var rideId = Guid.CreateVersion7();
        try
        {
            frame = ReadFrame(upload, bytes, athlete.TimeZone);
            if (await FitRideOverlappingAsync(upload.AthleteId, frame) is { } target)
            {
                await JoinAsync(target, [upload.Id]);
                return;
            }
            content = processor.Process(frame, null, athlete.SensorMapJson, athlete.CoachPairsJson, rideId);
        }
        catch (RideRejectedException e)
        {
            await FailAsync(upload.Id, e.Message);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException && !Transient.Is(e) && e is not ExportStateChangedException)
        {
            // As for a FIT file: the same bytes fail the same way, so the upload fails now instead of waiting out its
            // retries. Not so for the database or a join that kept finding its exports changed: those are retried.
            log.LogError(e, "Export upload {UploadId} could not be processed", upload.Id);
            await FailAsync(upload.Id, $"the export could not be processed: {e.GetType().Name}: {e.Message}");
            return;
        }
        var stored = await gate.RunAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync();
            var now = clock.GetUtcNow();
            // The claim is the conditional update of the pending row (it row-locks the upload): of two runs on two
            // nodes the second waits, then finds the upload no longer pending and changes nothing.
            var claimed = await db.Uploads.Where(u => u.Id == upload.Id && u.Status == UploadStatus.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Status, UploadStatus.Processed)
                    .SetProperty(x => x.RideId, rideId)
                    .SetProperty(x => x.ProcessedAt, now));
            if (claimed == 0) return false;
            var ride = new Ride { Id = rideId, AthleteId = upload.AthleteId, UploadId = upload.Id };
            RideWriter.Apply(ride, content, AthleteTimeZones.Find(athlete.TimeZone), now, options.Value.RideDocumentSchema);
            db.Rides.Add(ride);
            await db.SaveChangesAsync();
            // In place (never read-modify-write): rides of one athlete stored on several nodes all count.
            await db.Athletes.Where(a => a.Id == upload.AthleteId)
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.RideVersion, x => x.RideVersion + 1));
            await tx.CommitAsync();
            return true;
        }, upload: false);
        if (!stored) return;
        log.LogInformation("Export upload {UploadId} ({Format}) stored as ride {RideId}", upload.Id, upload.ExportFormat, rideId);
        await trends.RequestAsync(upload.AthleteId);
        // A FIT ride committed while this export was read: join it now (the FIT ride's own check may have run too early).
        if (await FitRideOverlappingAsync(upload.AthleteId, frame) is { } late) await JoinWaitingOrLaterAsync(late);
    }

    /// <summary>
    /// After a ride is stored (its commit done): the waiting exports join it now; if that fails, the join is not lost
    /// but queued as its own job (<see cref="JoinWaitingJobAsync"/>), retried until it succeeds.
    /// </summary>
    public async Task JoinWaitingOrLaterAsync(Guid rideId) => await JoinWaitingOrLaterAsync(rideId, null);

    /// <summary>As <see cref="JoinWaitingOrLaterAsync(Guid)"/> for a ride the caller has just stored (its span known: one query less).</summary>
    public async Task JoinWaitingOrLaterAsync(Ride stored) =>
        await JoinWaitingOrLaterAsync(stored.Id, new RideSpan(stored.AthleteId, stored.StartTime, stored.DurationSeconds, stored.RecordCount));

    private async Task JoinWaitingOrLaterAsync(Guid rideId, RideSpan? span)
    {
        try
        {
            await JoinWaitingAsync(rideId, span);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Joining the waiting sensor exports to ride {RideId} failed; queued to retry", rideId);
            jobs.Enqueue<ExportMerge>(m => m.JoinWaitingJobAsync(rideId));
        }
    }

    /// <summary>The join of waiting exports as a job of its own: idempotent (an export already joined is not waiting).</summary>
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [2, 5, 15, 30, 60, 120, 300, 600, 1800, 3600])]
    public Task JoinWaitingJobAsync(Guid rideId) => JoinWaitingAsync(rideId);

    /// <summary>
    /// FIT rides beside which a sensor export still stands alone (a join lost to a crash between the ride's commit and
    /// its join, or a join job that gave up): for each such export the FIT ride it overlaps most, as at ingest.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> WaitingJoinsAsync(CancellationToken cancellationToken = default)
    {
        var standalone = await (from u in db.Uploads.AsNoTracking()
                                join r in db.Rides.AsNoTracking() on u.Id equals r.UploadId
                                where u.ExportFormat != null && u.Status == UploadStatus.Processed
                                select new { r.AthleteId, r.StartTime, r.DurationSeconds }).ToListAsync(cancellationToken);
        if (standalone.Count == 0) return [];
        var athletes = standalone.Select(s => s.AthleteId).Distinct().ToList();
        var fits = await (from r in db.Rides.AsNoTracking()
                          join u in db.Uploads.AsNoTracking() on r.UploadId equals u.Id
                          where athletes.Contains(r.AthleteId) && u.ExportFormat == null
                          select new { r.Id, r.AthleteId, r.StartTime, r.DurationSeconds, r.RecordCount }).ToListAsync(cancellationToken);
        var targets = new HashSet<Guid>();
        foreach (var export in standalone)
        {
            var best = fits.Where(f => f.AthleteId == export.AthleteId)
                .Select(f => (f.Id, Overlap: Meets(export.StartTime, export.DurationSeconds, f.StartTime, f.DurationSeconds, f.RecordCount)))
                .Where(f => f.Overlap > 0).OrderByDescending(f => f.Overlap).Select(f => (Guid?)f.Id).FirstOrDefault();
            if (best is { } id) targets.Add(id);
        }
        return targets.ToList();
    }

    /// <summary>After a FIT ride is stored: the athlete's exports that stand alone and overlap it join it.</summary>
    public Task JoinWaitingAsync(Guid rideId) => JoinWaitingAsync(rideId, null);

    /// <summary>A stored ride's athlete and span (what the join check needs of it).</summary>
    private sealed record RideSpan(Guid AthleteId, DateTimeOffset StartTime, double DurationSeconds, int RecordCount);

    private async Task JoinWaitingAsync(Guid rideId, RideSpan? span)
    {
        var ride = span ?? await db.Rides.AsNoTracking().Where(r => r.Id == rideId)
            .Select(r => new RideSpan(r.AthleteId, r.StartTime, r.DurationSeconds, r.RecordCount)).FirstOrDefaultAsync();
        if (ride is null) return;
        // Exports standing alone (an index holds only the export uploads, so a FIT-only athlete costs one index probe).
        var standalone = new List<StandaloneExport>();
        await foreach (var e in StandaloneExports.For(db)(db, ride.AthleteId)) standalone.Add(e);
        var waiting = standalone.Where(e => Meets(e.StartTime, e.DurationSeconds, ride.StartTime, ride.DurationSeconds, ride.RecordCount) > 0)
            .Select(e => e.Id).ToList();
        if (waiting.Count > 0) await JoinAsync(rideId, waiting);
    }

    private sealed record StandaloneExport(Guid Id, DateTimeOffset StartTime, double DurationSeconds);

    /// <summary>The athlete's export uploads that stand alone on their own ride.</summary>
    private static readonly CompiledQuery<Func<NirsDbContext, Guid, IAsyncEnumerable<StandaloneExport>>> StandaloneExports = new(() =>
        EF.CompileAsyncQuery((NirsDbContext db, Guid athleteId) =>
            from u in db.Uploads.AsNoTracking()
            join r in db.Rides.AsNoTracking() on u.Id equals r.UploadId
            where u.AthleteId == athleteId && u.ExportFormat != null && u.Status == UploadStatus.Processed
            select new StandaloneExport(u.Id, r.StartTime, r.DurationSeconds)));

    /// <summary>Re-analyses a FIT ride with its exports (after an offset was set by hand).</summary>
    [AutomaticRetry(Attempts = 3)]
    public Task ReanalyzeAsync(Guid rideId) => JoinAsync(rideId, []);

    /// <summary>
    /// The content of a stored ride from its own upload and the exports joined to it (re-analysis). The
    /// exports' offsets are those stored: an override, else the one found when they joined.
    /// </summary>
    public async Task<RideContent> ContentAsync(Guid rideId, Guid uploadId, byte[] bytes, string sensorMapJson,
        string coachPairsJson, string timeZone, IReadOnlyList<Analysis.EffortInterval>? givenEfforts = null)
    {
        var own = await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == uploadId);
        if (own.ExportFormat is not null)
            return processor.Process(ReadFrame(own, bytes, timeZone), null, sensorMapJson, coachPairsJson, rideId, givenEfforts);
        var joined = await JoinedUploadsAsync(rideId, uploadId);
        if (joined.Count == 0) return processor.Process(bytes, sensorMapJson, coachPairsJson, rideId, givenEfforts);
        var (frame, warning) = RideProcessor.Decode(bytes);
        foreach (var export in joined)
        {
            var exportBytes = await BytesAsync(export.Id);
            var offset = export.ExportOffsetOverrideS ?? export.ExportOffsetFoundS ?? 0;
            frame = RideFrameMerge.Merge(frame, ReadFrame(export, exportBytes, timeZone), offset);
        }
        return processor.Process(frame, warning, sensorMapJson, coachPairsJson, rideId, givenEfforts);
    }

    /// <summary>
    /// Joins <paramref name="newExports"/> (and keeps those already joined) to FIT ride <paramref name="rideId"/>:
    /// aligns each export against the ride's power, analyses the merged ride, stores it, links the exports'
    /// uploads to it and removes the rides they had of their own.
    /// </summary>
    private async Task JoinAsync(Guid rideId, IReadOnlyList<Guid> newExports)
    {
        // One join (or offset re-analysis) of a ride at a time across every node: two joins computed from the same
        // stored state would each write the ride without the other's export.
        using var connection = storage.GetConnection();
        using var exclusive = connection.AcquireDistributedLock($"nirssync:ride-join:{rideId}", RideLockTimeout);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await JoinOnceAsync(rideId, newExports);
                return;
            }
            catch (ExportStateChangedException e) when (attempt < MaxJoinAttempts)
            {
                log.LogInformation("Join to ride {RideId} computed again: {Reason}", rideId, e.Message);
            }
        }
    }

    private async Task JoinOnceAsync(Guid rideId, IReadOnlyList<Guid> newExports)
    {
        var ride = await db.Rides.AsNoTracking().Where(r => r.Id == rideId)
            .Select(r => new { r.AthleteId, r.UploadId, r.GivenEffortsJson }).FirstOrDefaultAsync();
        if (ride is null) return;
        var athlete = await InputsAsync(ride.AthleteId);
        var (fit, warning) = RideProcessor.Decode(await BytesAsync(ride.UploadId));
        var exports = await JoinedUploadsAsync(rideId, ride.UploadId);
        foreach (var id in newExports)
            if (exports.All(e => e.Id != id) && await JoinableAsync(id) is { } u)
                exports.Add(u);
        var merged = fit;
        var placed = new List<JoinedExport>();
        var failures = new Dictionary<Guid, string>();
        foreach (var export in exports)
        {
            RideFrame frame;
            try
            {
                frame = ReadFrame(export, await BytesAsync(export.Id), athlete.TimeZone);
            }
            catch (RideRejectedException e)
            {
                failures[export.Id] = e.Message;
                continue;
            }
            var found = RecordingAlignment.Refine(fit, frame);
            var foundOffset = found is { Refined: true } ? found.OffsetS : (double?)null;
            var applied = export.ExportOffsetOverrideS ?? foundOffset ?? 0;
            merged = RideFrameMerge.Merge(merged, frame, applied);
            placed.Add(new JoinedExport(export.Id, applied, foundOffset,
                found is { } f && double.IsFinite(f.Correlation) ? f.Correlation : null));
        }
        var content = processor.Process(merged, warning, athlete.SensorMapJson, athlete.CoachPairsJson, rideId,
            Data.Documents.GivenEfforts.ToAnalysis(ride.GivenEffortsJson));
        await gate.RunAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync();
            var row = await db.Rides.SingleAsync(r => r.Id == rideId);
            var now = clock.GetUtcNow();
            RideWriter.Apply(row, content, AthleteTimeZones.Find(athlete.TimeZone), now, options.Value.RideDocumentSchema);
            await db.SaveChangesAsync();
            foreach (var p in placed)
            {
                // Linked only from a state the join expects (pending: being ingested; processed: standing alone on
                // its own ride, or already joined here), never a failed export or one joined to another ride
                // meanwhile. Anything else rolls the join back, and it is computed again from the state as it is now.
                var found = p.FoundOffsetS;
                var correlation = p.Correlation;
                var linked = await Joinable(db.Uploads.Where(u => u.Id == p.UploadId), rideId)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.ProcessedAt, x => x.Status == UploadStatus.Pending ? now : x.ProcessedAt)
                        .SetProperty(x => x.Status, UploadStatus.Processed)
                        .SetProperty(x => x.RideId, rideId)
                        .SetProperty(x => x.ExportOffsetFoundS, found)
                        .SetProperty(x => x.ExportCorrelation, correlation));
                if (linked == 0) throw new ExportStateChangedException(p.UploadId);
                await db.Rides.Where(r => r.UploadId == p.UploadId).ExecuteDeleteAsync();
            }
            foreach (var (id, reason) in failures)
            {
                var failure = reason;
                await db.Uploads.Where(u => u.Id == id && u.Status == UploadStatus.Pending)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.Status, UploadStatus.Failed)
                        .SetProperty(x => x.Reason, failure)
                        .SetProperty(x => x.ProcessedAt, now));
            }
            await db.Athletes.Where(a => a.Id == ride.AthleteId)
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.RideVersion, x => x.RideVersion + 1));
            await tx.CommitAsync();
        }, upload: false);
        await trends.RequestAsync(ride.AthleteId);
        log.LogInformation("Ride {RideId} analysed with {Count} sensor export(s) joined at offsets {Offsets}", rideId, placed.Count,
            string.Join(", ", placed.Select(p => $"{p.AppliedOffsetS:0.##} s")));
    }

    /// <summary>The FIT ride of the athlete that overlaps the export's span most, or null.</summary>
    private async Task<Guid?> FitRideOverlappingAsync(Guid athleteId, RideFrame export)
    {
        var start = FitProfile.ToDateTime(export.Timestamp[0]);
        var duration = export.Timestamp[export.Count - 1] - (double)export.Timestamp[0];
        var rides = await (from r in db.Rides.AsNoTracking()
                           join u in db.Uploads.AsNoTracking() on r.UploadId equals u.Id
                           where r.AthleteId == athleteId && u.ExportFormat == null
                           select new { r.Id, r.StartTime, r.DurationSeconds, r.RecordCount }).ToListAsync();
        return rides
            .Select(r => (r.Id, Overlap: Meets(start, duration, r.StartTime, r.DurationSeconds, r.RecordCount)))
            .Where(r => r.Overlap > 0).OrderByDescending(r => r.Overlap).Select(r => (Guid?)r.Id).FirstOrDefault();
    }

    /// <summary>
    /// Fewest records a FIT ride must have within an export's span, spread evenly over the ride, for the export to join
    /// it: a span alone is not enough. A file whose 300,000 records lie hours apart over 127 years (every gap under
    /// the analysis's week, so all kept) spans every export of the athlete, but holds well under one record in any of
    /// them; a real ride at one record a second or every few seconds holds hundreds.
    /// </summary>
    public const double MinRecordsToJoin = 10;

    /// <summary>
    /// Seconds an export's span overlaps a FIT ride's, when the ride's records, spread evenly over its span, put at
    /// least <see cref="MinRecordsToJoin"/> in the overlap; else 0. Every join decision (the export first, the FIT
    /// ride first, the recovery sweep) uses this one test.
    /// </summary>
    internal static double Meets(DateTimeOffset exportStart, double exportSeconds, DateTimeOffset rideStart, double rideSeconds, int rideRecords)
    {
        var overlap = Math.Min(exportStart.ToUnixTimeSeconds() + exportSeconds, rideStart.ToUnixTimeSeconds() + rideSeconds)
            - Math.Max(exportStart.ToUnixTimeSeconds(), rideStart.ToUnixTimeSeconds());
        if (overlap <= 0) return 0;
        return rideRecords * overlap / Math.Max(1, rideSeconds) >= MinRecordsToJoin ? overlap : 0;
    }

    /// <summary>
    /// The exports among <paramref name="uploads"/> that may join ride <paramref name="rideId"/>: pending (being ingested),
    /// or processed and either standing alone on a ride of their own or already joined to this ride.
    /// </summary>
    private IQueryable<Upload> Joinable(IQueryable<Upload> uploads, Guid rideId) => uploads.Where(u => u.ExportFormat != null
        && (u.Status == UploadStatus.Pending
            || (u.Status == UploadStatus.Processed
                && (u.RideId == rideId || db.Rides.Any(r => r.Id == u.RideId && r.UploadId == u.Id)))));

    /// <summary>The export if it may join a ride now (pending, or standing alone on its own ride); else null.</summary>
    private Task<Upload?> JoinableAsync(Guid uploadId) => db.Uploads.AsNoTracking()
        .Where(u => u.Id == uploadId && u.ExportFormat != null && (u.Status == UploadStatus.Pending
            || (u.Status == UploadStatus.Processed && db.Rides.Any(r => r.Id == u.RideId && r.UploadId == u.Id))))
        .FirstOrDefaultAsync();

    private Task<List<Upload>> JoinedUploadsAsync(Guid rideId, Guid ownUploadId) => db.Uploads.AsNoTracking()
        .Where(u => u.RideId == rideId && u.Id != ownUploadId && u.ExportFormat != null && u.Status == UploadStatus.Processed)
        .OrderBy(u => u.ReceivedAt).ThenBy(u => u.Id).ToListAsync();

    private Task<byte[]> BytesAsync(Guid uploadId) =>
        db.UploadBlobs.AsNoTracking().Where(b => b.UploadId == uploadId).Select(b => b.Bytes).SingleAsync();

    private async Task<AthleteInputs> InputsAsync(Guid athleteId) => await db.Athletes.AsNoTracking().Where(a => a.Id == athleteId)
        .Select(a => new AthleteInputs(a.SensorMapJson, a.CoachPairsJson, a.TimeZone)).SingleAsync();

    private Task FailAsync(Guid uploadId, string reason) => gate.RunAsync(async () =>
    {
        db.ChangeTracker.Clear();
        var upload = await db.Uploads.SingleAsync(u => u.Id == uploadId);
        if (upload.Status != UploadStatus.Pending) return;
        upload.Status = UploadStatus.Failed;
        upload.Reason = reason;
        upload.ProcessedAt = clock.GetUtcNow();
        log.LogWarning("Export upload {UploadId} failed: {Reason}", uploadId, reason);
        await db.SaveChangesAsync();
    }, upload: false);
}
