using NirsSync.Data;

namespace NirsSync.Server.Uploads;

/// <summary>The state of an upload as the API shows it.</summary>
public sealed record UploadStatusDto(
    Guid Id,
    Guid AthleteId,
    UploadStatus Status,
    string StatusUrl,
    Guid? RideId,
    string? Reason,
    string? Warning,
    long Size,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt)
{
    public static UploadStatusDto From(Upload u) => new(u.Id, u.AthleteId, u.Status, UrlOf(u.Id), u.RideId, u.Reason,
        u.Warning, u.Size, u.ReceivedAt, u.ProcessedAt);

    public static string UrlOf(Guid id) => $"/api/uploads/{id}";
}

/// <summary>An athlete's uploads counted by status.</summary>
public sealed record UploadSummaryDto(int Pending, int Processed, int Failed);
