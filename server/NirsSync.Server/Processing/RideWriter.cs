using System.Globalization;
using System.Text.Json;
using NirsSync.Server.Data;

namespace NirsSync.Server.Processing;

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
        ride.WeekStart = WeekOf(content.StartTime);
        ride.ChannelsJson = content.ChannelsJson;
        ride.MetricsJson = content.MetricsJson;
        ride.PairsJson = content.PairsJson;
        ride.SeriesJson = JsonSerializer.Serialize(content.Series, Json);
        ride.Warning = content.Warning;
        ride.SummaryJson = content.SummaryJson;
        ride.AnalyzedAt = now;
    }

    /// <summary>The Monday (UTC) of the ISO week containing <paramref name="time"/>.</summary>
    public static DateOnly WeekOf(DateTimeOffset time)
    {
        var day = DateOnly.FromDateTime(time.UtcDateTime);
        var shift = ((int)day.DayOfWeek + 6) % 7;
        return day.AddDays(-shift);
    }

    public static string IsoWeek(DateOnly monday) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(monday.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):00}");
}
