using NirsSync.Data;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Ingest;

/// <summary>Copies analysis results onto a ride row.</summary>
public static class RideWriter
{
    /// <summary>Sets the ride's columns; its week is the ISO week of the start in <paramref name="timeZone"/> (the athlete's).</summary>
    /// <param name="documentSchema">The schema to write the ride document in (<see cref="NirsOptions.RideDocumentSchema"/>).</param>
    public static void Apply(Ride ride, RideContent content, TimeZoneInfo timeZone, DateTimeOffset now,
        int documentSchema = RideDocuments.RideSchema)
    {
        ride.StartTime = content.StartTime;
        ride.DurationSeconds = content.DurationSeconds;
        ride.RecordCount = content.RecordCount;
        ride.AveragePower = content.AveragePower;
        ride.WeekStart = Weeks.WeekOf(content.StartTime, timeZone);
        ride.Document = RideDocuments.Write(content.Document, documentSchema);
        ride.Warning = content.Warning;
        ride.SummaryJson = content.SummaryJson;
        ride.AnalyzedAt = now;
    }
}
