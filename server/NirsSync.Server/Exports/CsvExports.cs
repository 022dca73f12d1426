using NirsSync.Analysis;
using NirsSync.Data;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Exports;

/// <summary>The CSV layouts of the exports.</summary>
public static class CsvExports
{
    /// <summary>The catalogue metrics rides.csv has a column for, in column order.</summary>
    private static readonly MetricDefinition[] RideMetrics = [.. new[]
    {
        "smo2_p5", "smo2_p50", "smo2_p95", "functional_range", "thb_p50", "desaturation_rate", "reoxygenation_half_time_s",
    }.Select(MetricCatalogue.Get)];

    /// <summary>One line per ride and muscle channel (a ride without channels gets one line with empty muscle cells).</summary>
    public static string Rides(IEnumerable<Ride> rides)
    {
        var csv = new Csv().Row(["ride_id", "start_utc", "week", "duration_s", "avg_power_w", "channel", "muscle", "side", "sensor",
            .. RideMetrics.Select(m => m.Key), "warning"]);
        foreach (var r in rides)
        {
            var metrics = RideDocuments.Read(r.Document).Metrics;
            if (metrics.Count == 0)
                csv.Row([r.Id, r.StartTime, Weeks.IsoWeek(r.WeekStart), r.DurationSeconds, r.AveragePower,
                    null, null, null, null, .. RideMetrics.Select(_ => (object?)null), r.Warning]);
            foreach (var c in metrics)
                csv.Row([r.Id, r.StartTime, Weeks.IsoWeek(r.WeekStart), r.DurationSeconds, r.AveragePower,
                    c.Channel.Id, Muscles.Name(c.Channel.Muscle), Muscles.Name(c.Channel.Side), c.Channel.Sensor,
                    .. RideMetrics.Select(m => (object?)m.OfChannel!(c)), r.Warning]);
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
}
