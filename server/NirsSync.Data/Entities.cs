using Microsoft.AspNetCore.Identity;

namespace NirsSync.Data;

/// <summary>A coach: an Identity user who signs in to the dashboard with a password.</summary>
public sealed class CoachUser : IdentityUser
{
    public bool IsAdmin { get; set; }
}

/// <summary>A rider whose uploads the server ingests; linked to exactly one coach.</summary>
public sealed class Athlete
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string CoachId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The athlete's sensor-to-muscle map as JSON (see Reading/SensorMapEndpoints).</summary>
    public string SensorMapJson { get; set; } = "[]";

    /// <summary>The pairs the coach defined for this athlete as JSON (see Reading/CoachPairs).</summary>
    public string CoachPairsJson { get; set; } = "[]";

    /// <summary>
    /// The IANA time zone (e.g. "Europe/Berlin") whose ISO weeks the weekly trends use; "UTC" by default.
    /// </summary>
    public string TimeZone { get; set; } = AthleteTimeZones.Utc;

    /// <summary>
    /// Counts changes the trends depend on (new rides, re-analysis, a new time zone); the trends are stale
    /// while behind it.
    /// </summary>
    public long RideVersion { get; set; }

    /// <summary>The <see cref="RideVersion"/> the stored trends were computed from.</summary>
    public long TrendsVersion { get; set; }

    /// <summary>
    /// The periods the coach marks as healthy, as JSON [{from, to, subject?}]: the reference the weekly trends compare each
    /// pair's balance with (docs/metrics.md, "Balance as a state"); empty = the first weeks on record.
    /// </summary>
    public string HealthyPeriodsJson { get; set; } = "[]";

    /// <summary>The weekly trends computed from every ride, as JSON with a schema version (<c>RideDocuments.WriteTrends</c>); null before the first ride.</summary>
    public string? TrendsJson { get; set; }
    public DateTimeOffset? TrendsUpdatedAt { get; set; }

    /// <summary>
    /// A re-analysis owed after a sensor-map or pairs change, written in the same transaction as the change:
    /// "*" for every ride, else the JSON array of changed sensors (ANT device numbers); null when none is owed.
    /// Found again at start, so a crash before the re-analysis runs loses nothing.
    /// </summary>
    public string? ReanalyzePending { get; set; }

    /// <summary>When the owed re-analysis may run: each change moves it later, so a burst of changes runs one.</summary>
    public DateTimeOffset? ReanalyzeDueAt { get; set; }
}

/// <summary>An upload token: only its SHA-256 is stored; the token itself is shown once.</summary>
public sealed class UploadToken
{
    public Guid Id { get; set; }
    public Guid AthleteId { get; set; }
    public required byte[] Hash { get; set; }

    /// <summary>The first characters of the token, so a person can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// A coach's invite for an athlete's own sign-in: a one-time link <c>/invite/{code}</c>. Only the SHA-256 of the code is
/// stored; it is good until <see cref="ExpiresAt"/>, once (<see cref="UsedAt"/>), and a newer invite of the athlete
/// revokes it (<see cref="RevokedAt"/>).
/// </summary>
public sealed class AthleteInvite
{
    public Guid Id { get; set; }
    public Guid AthleteId { get; set; }
    public required byte[] Hash { get; set; }

    /// <summary>The user id of the coach who made the invite.</summary>
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public enum UploadStatus
{
    Pending = 0,
    Processed = 1,
    Failed = 2,
}

/// <summary>One received FIT file. Pending until the ingest job stores its ride or gives a reason.</summary>
public sealed class Upload
{
    public Guid Id { get; set; }
    public Guid AthleteId { get; set; }
    public required byte[] Sha256 { get; set; }
    public long Size { get; set; }
    public string? FileName { get; set; }
    public UploadStatus Status { get; set; }
    public string? Reason { get; set; }
    public string? Warning { get; set; }
    public Guid? RideId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>
    /// Processing attempts started, counted in the database before each one: an upload whose processing
    /// crashed the process again and again is failed with that reason instead of crash-looping.
    /// </summary>
    public int Attempts { get; set; }
    /// <summary>The sensor-export format ("MoxyCsv", "TrainRedCsv", ...) when the upload is an export; null for a FIT file.</summary>
    public string? ExportFormat { get; set; }

    /// <summary>The start given with an export's upload (?start=), for files that state no date; null when none was given.</summary>
    public DateTimeOffset? ExportStart { get; set; }

    /// <summary>
    /// For an export merged into a FIT ride (<see cref="RideId"/> is then that ride): the offset in seconds the
    /// alignment found (added to the export's clock), null when it could not refine the clock placement.
    /// </summary>
    public double? ExportOffsetFoundS { get; set; }

    /// <summary>The correlation at the offset found (-1..1).</summary>
    public double? ExportCorrelation { get; set; }

    /// <summary>An offset set by hand (PUT /api/rides/{id}/exports/{uploadId}/offset); it wins over the one found.</summary>
    public double? ExportOffsetOverrideS { get; set; }

    /// <summary>
    /// The ingest queue (the pending rows of this table are the queue): the worker node and run that claimed the
    /// upload, and until when. A live worker renews its lease; when it lapses (the node died) another worker
    /// claims the upload again. Null when nobody holds it.
    /// </summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When the claim in <see cref="LeaseOwner"/> lapses unless renewed.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>After a transient failure: not to be claimed before this time (the retry's back-off). Null: now.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
}

/// <summary>The bytes of an upload, kept apart so listing uploads never loads them.</summary>
public sealed class UploadBlob
{
    public Guid UploadId { get; set; }
    public required byte[] Bytes { get; set; }
}

/// <summary>A ride decoded from an upload, with its analysis stored as JSON documents.</summary>
public sealed class Ride
{
    public Guid Id { get; set; }
    public Guid AthleteId { get; set; }
    public Guid UploadId { get; set; }
    public DateTimeOffset StartTime { get; set; }
    public double DurationSeconds { get; set; }
    public int RecordCount { get; set; }
    public double? AveragePower { get; set; }

    /// <summary>Monday of the ISO week the ride started in, in the athlete's time zone (as the trends count it).</summary>
    public DateOnly WeekStart { get; set; }

    /// <summary>
    /// The ride's analysis (channels with metrics, pairs, chart series) as UTF-8 JSON with a schema version;
    /// written and read only through <c>Documents.RideDocuments</c>.
    /// </summary>
    public byte[] Document { get; set; } = [];

    /// <summary>The key metric values the weekly trends need (subject, metric, value), as JSON (<c>RideDocuments.WriteSummary</c>).</summary>
    public string SummaryJson { get; set; } = "[]";
    public string? Warning { get; set; }
    public DateTimeOffset AnalyzedAt { get; set; }

    /// <summary>
    /// Work intervals the coach gave for this ride (<c>Documents.GivenEfforts</c> JSON, seconds from the recording's
    /// first sample); they replace the efforts found from power, laps or SmO2. Null: efforts are found automatically.
    /// </summary>
    public string? GivenEffortsJson { get; set; }
}

/// <summary>
/// PostgreSQL mode: an athlete's weekly-trend run is scheduled and has not started yet. The primary key makes
/// the first ride of a burst (on any node) the one that schedules the run; the run deletes the row as it starts.
/// </summary>
public sealed class TrendRequest
{
    public Guid AthleteId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
}
