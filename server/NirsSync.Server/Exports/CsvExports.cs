using System.Text.Json;
using NirsSync.Data;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Exports;

/// <summary>The CSV layouts of the exports.</summary>
public static class CsvExports
{
    /// <summary>One line per ride and muscle channel (a ride without channels gets one line with empty muscle cells).</summary>
    public static string Rides(IEnumerable<Ride> rides)
    {
        var csv = new Csv().Row("ride_id", "start_utc", "week", "duration_s", "avg_power_w", "channel", "muscle", "side", "sensor",
            "smo2_p5", "smo2_p50", "smo2_p95", "functional_range", "thb_p50", "desaturation_rate", "reoxygenation_half_time_s", "warning");
        foreach (var r in rides)
        {
            using var doc = JsonDocument.Parse(r.MetricsJson);
            var channels = doc.RootElement.EnumerateArray().ToList();
            if (channels.Count == 0)
                csv.Row(r.Id, r.StartTime, Weeks.IsoWeek(r.WeekStart), r.DurationSeconds, r.AveragePower,
                    null, null, null, null, null, null, null, null, null, null, null, r.Warning);
            foreach (var c in channels)
                csv.Row(r.Id, r.StartTime, Weeks.IsoWeek(r.WeekStart), r.DurationSeconds, r.AveragePower,
                    Text(c, "channel", "id"), Text(c, "channel", "muscle"), Text(c, "channel", "side"), Text(c, "channel", "sensor"),
                    Number(c, "smO2", "p5"), Number(c, "smO2", "p50"), Number(c, "smO2", "p95"), Number(c, "smO2", "functionalRange"),
                    Number(c, "tHb", "p50"), Number(c, "effortSummary", "desaturationRate"),
                    Number(c, "effortSummary", "reoxygenationHalfTimeS"), r.Warning);
        }
        return csv.ToString();
    }

    /// <summary>One line per subject (muscle or pair), metric and week.</summary>
    public static string Trends(string? trendsJson)
    {
        var csv = new Csv().Row("subject", "kind", "metric", "week", "week_start", "rides", "value", "baseline", "change",
            "noise_band", "flag");
        var view = TrendView.Parse(trendsJson);
        foreach (var (kind, list) in new[] { ("muscle", view.Muscles), ("pair", view.Pairs) })
            foreach (var s in list)
                foreach (var w in s.Weeks)
                    csv.Row(s.Subject, kind, s.Metric, Weeks.IsoWeek(w.WeekStart), w.WeekStart, w.Rides, w.Value, w.Baseline,
                        w.Change, w.NoiseBand, w.Flag ? "1" : "0");
        return csv.ToString();
    }

    private static JsonElement? Walk(JsonElement e, string a, string b) =>
        e.TryGetProperty(a, out var x) && x.ValueKind == JsonValueKind.Object && x.TryGetProperty(b, out var y) ? y : null;

    private static string? Text(JsonElement e, string a, string b) => Walk(e, a, b) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    private static double? Number(JsonElement e, string a, string b) =>
        Walk(e, a, b) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : null;
}
