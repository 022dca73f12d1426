namespace NirsSync.Data;

/// <summary>
/// Links an athlete to a Garmin Connect user: the userId Garmin puts in every notification, and the
/// OAuth access token the fetch job presents when it calls a notification's callback URL.
/// </summary>
public sealed class GarminLink
{
    public Guid AthleteId { get; set; }
    public required string GarminUserId { get; set; }
    public required string AccessToken { get; set; }
    public DateTimeOffset LinkedAt { get; set; }
}

public enum GarminFileStatus
{
    /// <summary>Waiting for the fetch job (or for its next retry).</summary>
    Pending = 0,

    /// <summary>Downloaded and handed to the upload path; <see cref="GarminActivityFile.UploadId"/> is set.</summary>
    Fetched = 1,

    /// <summary>Given up: the reason says why (rejected file, 410 Gone, retries exhausted).</summary>
    Failed = 2,

    /// <summary>Not fetched by design: not a FIT file, or no athlete is linked to the Garmin user.</summary>
    Skipped = 3,
}

/// <summary>
/// One entry of an "activityFiles" ping. Unique per (Garmin user, summaryId), so a re-sent
/// notification is recognised and its file is fetched once.
/// </summary>
public sealed class GarminActivityFile
{
    public Guid Id { get; set; }
    public required string GarminUserId { get; set; }
    public required string SummaryId { get; set; }
    public Guid? AthleteId { get; set; }
    public required string FileType { get; set; }
    public required string CallbackUrl { get; set; }
    public long? ActivityId { get; set; }
    public string? ActivityName { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public GarminFileStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? Reason { get; set; }
    public Guid? UploadId { get; set; }
    public DateTimeOffset? FetchedAt { get; set; }
}
