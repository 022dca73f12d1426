using System.Text.Json;

namespace NirsSync.Data.Documents;

/// <summary>One week of one metric as the stored weekly trends hold it.</summary>
public sealed record WeekPoint(DateOnly WeekStart, int Rides, double Value, double? Baseline, double? Change,
    double? NoiseBand, bool Flag);

/// <summary>The weekly series of one metric of one muscle or pair.</summary>
public sealed record MetricSeries(string Subject, string Metric, List<WeekPoint> Weeks);

/// <summary>An athlete's weekly trends read back from <c>Athlete.TrendsJson</c> for the dashboard.</summary>
public sealed record TrendView(int Rides, List<MetricSeries> Muscles, List<MetricSeries> Pairs)
{
    public static readonly TrendView Empty = new(0, [], []);

    public static TrendView Parse(string? json)
    {
        if (json is null || JsonSerializer.Deserialize<TrendView>(json, AnalysisJson.Options) is not { } view) return Empty;
        return new TrendView(view.Rides, view.Muscles ?? [], view.Pairs ?? []);
    }

    /// <summary>Every week that has a value in any series, in order.</summary>
    public IReadOnlyList<DateOnly> AllWeeks() =>
        Muscles.Concat(Pairs).SelectMany(s => s.Weeks).Select(w => w.WeekStart).Distinct().Order().ToList();

    public MetricSeries? Find(string subject, string metric) =>
        Muscles.Concat(Pairs).FirstOrDefault(s => s.Subject == subject && s.Metric == metric);

    /// <summary>Flags raised in the latest week that has data.</summary>
    public IReadOnlyList<(MetricSeries Series, WeekPoint Week)> LatestFlags()
    {
        var weeks = AllWeeks();
        if (weeks.Count == 0) return [];
        var latest = weeks[^1];
        return Muscles.Concat(Pairs)
            .Select(s => (Series: s, Week: s.Weeks.FirstOrDefault(w => w.WeekStart == latest)))
            .Where(x => x.Week is { Flag: true })
            .Select(x => (x.Series, x.Week!))
            .ToList();
    }

    /// <summary>Values of <paramref name="series"/> aligned to <paramref name="weeks"/> (null where it has none).</summary>
    public static double?[] Align(MetricSeries? series, IReadOnlyList<DateOnly> weeks, Func<WeekPoint, double?> pick)
    {
        var result = new double?[weeks.Count];
        if (series is null) return result;
        var byWeek = series.Weeks.ToDictionary(w => w.WeekStart);
        for (var i = 0; i < weeks.Count; i++) result[i] = byWeek.TryGetValue(weeks[i], out var w) ? pick(w) : null;
        return result;
    }
}
