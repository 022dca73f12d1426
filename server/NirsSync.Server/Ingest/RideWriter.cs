using System.Text.Json;
using NirsSync.Data;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Ingest;

/// <summary>Copies analysis results onto a ride row.</summary>
public static class RideWriter
{
    public static readonly JsonSerializerOptions Json = AnalysisJson.Options;

    public static void Apply(Ride ride, RideContent content, DateTimeOffset now)
    {
        ride.StartTime = content.StartTime;
        ride.DurationSeconds = content.DurationSeconds;
        ride.RecordCount = content.RecordCount;
        ride.AveragePower = content.AveragePower;
        ride.WeekStart = Weeks.WeekOf(content.StartTime);
        ride.ChannelsJson = content.ChannelsJson;
        ride.MetricsJson = content.MetricsJson;
        ride.PairsJson = content.PairsJson;
        ride.SeriesJson = JsonSerializer.Serialize(content.Series, Json);
        ride.Warning = content.Warning;
        ride.SummaryJson = content.SummaryJson;
        ride.AnalyzedAt = now;
    }
}
