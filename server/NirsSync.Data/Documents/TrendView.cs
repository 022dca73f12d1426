using NirsSync.Analysis;

namespace NirsSync.Data.Documents;

/// <summary>An athlete's weekly trends (the analysis' <see cref="AthleteTrends"/>) with the look-ups the pages need.</summary>
public sealed record TrendView(int Rides, IReadOnlyList<MetricTrend> Muscles, IReadOnlyList<MetricTrend> Pairs)
{
    public static readonly TrendView Empty = new(0, [], []);

    /// <summary>The stored trends of <c>Athlete.TrendsJson</c> (any schema <see cref="RideDocuments"/> reads); empty for none.</summary>
    public static TrendView Parse(string? json) => Of(RideDocuments.ReadTrends(json));

    public static TrendView Of(AthleteTrends? trends) => trends is null ? Empty : new TrendView(trends.Rides, trends.Muscles, trends.Pairs);

    /// <summary>Every week that has a value in any series, in order.</summary>
    public IReadOnlyList<DateOnly> AllWeeks() =>
        Muscles.Concat(Pairs).SelectMany(s => s.Weeks).Select(w => w.WeekStart).Distinct().Order().ToList();

    public MetricTrend? Find(string subject, string metric) =>
        Muscles.Concat(Pairs).FirstOrDefault(s => s.Subject == subject && s.Metric == metric);

    /// <summary>Flags raised in the latest week that has data.</summary>
    public IReadOnlyList<(MetricTrend Series, WeeklyValue Week)> LatestFlags()
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
    public static double?[] Align(MetricTrend? series, IReadOnlyList<DateOnly> weeks, Func<WeeklyValue, double?> pick)
    {
        var result = new double?[weeks.Count];
        if (series is null) return result;
        var byWeek = series.Weeks.ToDictionary(w => w.WeekStart);
        for (var i = 0; i < weeks.Count; i++) result[i] = byWeek.TryGetValue(weeks[i], out var w) ? pick(w) : null;
        return result;
    }
}
