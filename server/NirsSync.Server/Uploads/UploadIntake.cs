using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Server.Ingest;

namespace NirsSync.Server.Uploads;

/// <summary>What became of a FIT file handed to <see cref="UploadIntake"/>.</summary>
public sealed record IntakeResult(Upload? Upload, bool Created, int RejectStatus = 0, string? Reason = null)
{
    public bool Accepted => Upload is not null;
}

/// <summary>
/// The one path by which a FIT file becomes an upload: validate, deduplicate by SHA-256 per athlete,
/// store the bytes (a group commit with the uploads arriving at the same moment: <see cref="UploadCommits"/>; a pending upload is queued work: <see cref="IngestQueue"/>) and wake the ingest workers. Used by POST /api/uploads and by the Garmin Connect fetch job.
/// </summary>
public sealed class UploadIntake(NirsDbContext db, WriteGate gate, IngestQueue queue, TimeProvider clock,
    ILogger<UploadIntake> log, UploadCommits commits)
{
    /// <param name="exportStart">The start of a sensor export whose file states no date (?start=); ignored for FIT files.</param>
    public async Task<IntakeResult> AcceptAsync(Guid athleteId, byte[] bytes, string? fileName,
        CancellationToken cancellationToken = default, DateTimeOffset? exportStart = null)
    {
        var verdict = UploadValidator.Check(bytes);
        if (!verdict.Accepted) return new IntakeResult(null, false, verdict.RejectStatus, verdict.Reason);

        var sha = SHA256.HashData(bytes);
        // One connection for the lookup and the insert (the request's end closes it).
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (await FindAsync(athleteId, sha, cancellationToken) is { } existing)
        {
            if (existing.Status == UploadStatus.Failed)
                return await RetryWithStartAsync(existing, exportStart, cancellationToken) ?? await RetryAsync(existing, cancellationToken);
            Observability.NirsMetrics.UploadsDuplicate.Add(1);
            return new IntakeResult(existing, false);
        }
        var upload = new Upload
        {
            Id = Guid.CreateVersion7(), AthleteId = athleteId, Sha256 = sha, Size = bytes.Length,
            FileName = fileName, Status = UploadStatus.Pending, Warning = verdict.Warning,
            ReceivedAt = clock.GetUtcNow(),
            ExportFormat = verdict.ExportFormat?.ToString(),
            ExportStart = verdict.ExportFormat is null ? null : exportStart,
        };
        using var scope = log.BeginScope(new Dictionary<string, object> { ["UploadId"] = upload.Id });
        var outcome = await commits.StoreAsync(db, upload, new UploadBlob { UploadId = upload.Id, Bytes = bytes }, cancellationToken);
        if (outcome == UploadCommits.Outcome.Duplicate)
        {
            // The same file arrived twice at once and the other request committed first.
            if (await FindAsync(athleteId, sha, cancellationToken) is { } winner)
            {
                Observability.NirsMetrics.UploadsDuplicate.Add(1);
                return new IntakeResult(winner, false);
            }
            throw new InvalidOperationException($"upload {upload.Id} could not be stored: the database refused it, and no upload of the same bytes exists");
        }
        await queue.NotifyAsync(db, cancellationToken);
        Observability.NirsMetrics.UploadsAccepted.Add(1);
        log.LogInformation("Upload {UploadId} of {Size} bytes accepted for athlete {AthleteId}", upload.Id, upload.Size,
            athleteId);
        return new IntakeResult(upload, true);
    }

    /// <summary>
    /// The same bytes as a failed upload: the upload is processed again (the failure may have been transient, or
    /// the decoder fixed since); it is pending again, and its reason says that this is a retry and why the last
    /// attempt failed. Answered like a new upload (202).
    /// </summary>
    private async Task<IntakeResult> RetryAsync(Upload failed, CancellationToken cancellationToken)
    {
        var reason = $"{IngestJob.RetryingPrefix}the same file was uploaded again; the previous attempt failed: {failed.Reason}";
        if (await ReopenAsync(failed, reason, failed.ExportStart, cancellationToken) is not { } current)
            return new IntakeResult(await FindAsync(failed.AthleteId, failed.Sha256, cancellationToken) ?? failed, false);
        log.LogInformation("Failed upload {UploadId} uploaded again: retrying", current.Id);
        return new IntakeResult(current, true);
    }

    /// <summary>
    /// An export that failed for want of a start (or with a wrong one), sent again with a start: the same upload
    /// is given the start and queued again (200, pending). Null when that does not apply.
    /// </summary>
    private async Task<IntakeResult?> RetryWithStartAsync(Upload existing, DateTimeOffset? start, CancellationToken ct)
    {
        if (start is null || existing.ExportFormat is null || existing.Status != UploadStatus.Failed || existing.ExportStart == start)
            return null;
        return new IntakeResult(await ReopenAsync(existing, null, start, ct)
            ?? await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == existing.Id, ct), false);
    }

    /// <summary>
    /// Puts a failed upload back in the queue (pending, attempts and lease cleared, the given reason and export start)
    /// and wakes the workers; null when it was no longer failed. Only from the state it expects: of two retries at once
    /// (on one node or two) one reopens the upload, the other changes nothing. The reopened upload is the state this
    /// request wrote: read back after the workers are woken, a quick worker could already have processed it, and the
    /// answer would not say that it was reopened.
    /// </summary>
    private async Task<Upload?> ReopenAsync(Upload failed, string? reason, DateTimeOffset? exportStart, CancellationToken ct)
    {
        var reopened = await gate.RunAsync(() => db.Uploads.Where(u => u.Id == failed.Id && u.Status == UploadStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.ExportStart, exportStart)
                .SetProperty(u => u.Status, UploadStatus.Pending)
                .SetProperty(u => u.Attempts, 0)
                .SetProperty(u => u.Reason, reason)
                .SetProperty(u => u.ProcessedAt, (DateTimeOffset?)null)
                .SetProperty(u => u.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(u => u.LeaseOwner, (string?)null)
                .SetProperty(u => u.LeaseUntil, (DateTimeOffset?)null), ct), upload: true, ct);
        if (reopened == 0) return null;
        var current = new Upload
        {
            Id = failed.Id, AthleteId = failed.AthleteId, Sha256 = failed.Sha256, Size = failed.Size, FileName = failed.FileName,
            Status = UploadStatus.Pending, Reason = reason, Warning = failed.Warning, RideId = failed.RideId,
            ReceivedAt = failed.ReceivedAt, ProcessedAt = null, Attempts = 0, ExportFormat = failed.ExportFormat,
            ExportStart = exportStart, ExportOffsetFoundS = failed.ExportOffsetFoundS, ExportCorrelation = failed.ExportCorrelation,
            ExportOffsetOverrideS = failed.ExportOffsetOverrideS, NextAttemptAt = null, LeaseOwner = null, LeaseUntil = null,
        };
        await queue.NotifyAsync(db, ct);
        return current;
    }

    private Task<Upload?> FindAsync(Guid athleteId, byte[] sha, CancellationToken ct) => Find.For(db)(db, athleteId, sha, ct);

    /// <summary>The athlete's upload of these bytes (the dedupe lookup before every insert), compiled once.</summary>
    private static readonly CompiledQuery<Func<NirsDbContext, Guid, byte[], CancellationToken, Task<Upload?>>> Find = new(() =>
        EF.CompileAsyncQuery((NirsDbContext db, Guid athleteId, byte[] sha, CancellationToken ct) =>
            db.Uploads.AsNoTracking().FirstOrDefault(u => u.AthleteId == athleteId && u.Sha256 == sha)));
}
