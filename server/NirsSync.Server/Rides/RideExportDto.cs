using NirsSync.Data;

namespace NirsSync.Server.Rides;

/// <summary>A sensor export joined to a ride: which upload, its format, and the offset it was placed at.</summary>
/// <param name="OffsetS">Seconds added to the export's clock to put it on the ride's: the override when set, else the one found, else 0 (the clocks as they are).</param>
/// <param name="OffsetFoundS">The offset the cross-correlation with power found; null when it could not refine the clocks' placement.</param>
/// <param name="Correlation">The correlation at the offset found.</param>
/// <param name="OffsetOverrideS">The offset set by hand, null when none.</param>
public sealed record RideExportDto(Guid UploadId, string Format, string? FileName, double OffsetS, double? OffsetFoundS,
    double? Correlation, double? OffsetOverrideS)
{
    public static RideExportDto From(Upload u) => new(u.Id, u.ExportFormat!, u.FileName,
        u.ExportOffsetOverrideS ?? u.ExportOffsetFoundS ?? 0, u.ExportOffsetFoundS, u.ExportCorrelation, u.ExportOffsetOverrideS);
}

/// <summary>The body of PUT /api/rides/{rideId}/exports/{uploadId}/offset: seconds, or null to go back to the offset found.</summary>
public sealed record ExportOffsetBody(double? OffsetS);

