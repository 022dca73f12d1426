using System.Text.Json;
using NirsSync.Server.Data;
using NirsSync.Server.Processing;

namespace NirsSync.Server.Reading;

/// <summary>The CSV layouts of the exports.</summary>
public static class CsvExports
{
    public static string Rides(IEnumerable<Ride> rides)
    {
        var csv = new Csv().Row("ride_id", "start_utc", "week", "duration_s", "avg_power_w", "records", "warning");
        foreach (var r in rides)
            csv.Row(r.Id, r.StartTime, RideWriter.IsoWeek(r.WeekStart), r.DurationSeconds, r.AveragePower, r.RecordCount, r.Warning);
        return csv.ToString();
    }

    public static string Trends(string? trendsJson)
    {
        var csv = new Csv().Row("week", "week_start", "rides", "hours", "avg_power_w");
        if (trendsJson is null) return csv.ToString();
        var doc = JsonSerializer.Deserialize<TrendDocument>(trendsJson, RideWriter.Json)!;
        foreach (var w in doc.Weeks) csv.Row(w.IsoWeek, w.WeekStart, w.Rides, w.Hours, w.AveragePower);
        return csv.ToString();
    }
}
