using System.Globalization;

namespace NirsSync.Analysis;

/// <summary>Trend settings: how many weeks form the baseline and the smallest noise band per metric.</summary>
public sealed record TrendOptions
{
    public static readonly TrendOptions Default = new();

    /// <summary>Weeks before the current one that form its baseline.</summary>
    public int BaselineWeeks { get; init; } = 4;

    /// <summary>Fewest rides in the baseline weeks before a change can be flagged.</summary>
    public int MinBaselineRides { get; init; } = 2;

    /// <summary>The noise band is at least this for a metric (units of the metric; <see cref="MetricDefinition.NoiseMinimum"/> by default); unknown metrics use <see cref="DefaultMinBand"/>.</summary>
    public IReadOnlyDictionary<string, double> MinBand { get; init; } =
        MetricCatalogue.All.ToDictionary(m => m.Key, m => m.NoiseMinimum, StringComparer.Ordinal);

    public double DefaultMinBand { get; init; } = 5;
}

/// <summary>
/// One ISO week of one metric: the mean over that week's rides, the spread (sample SD) and range, the
/// baseline (mean over the rides of the previous <see cref="TrendOptions.BaselineWeeks"/> weeks), the
/// change against it, the noise band and whether the change leaves it.
/// </summary>
public sealed record WeeklyValue(int IsoYear, int IsoWeek, DateOnly WeekStart, int Rides, double Value, double? Spread,
    double Min, double Max, int BaselineRides, double? Baseline, double? Change, double? NoiseBand, bool Flag);

/// <summary>The weekly series of one metric of one subject (muscle or pair).</summary>
public sealed record MetricTrend(string Subject, string Metric, IReadOnlyList<WeeklyValue> Weeks);

/// <summary>An athlete's weekly trends: per muscle and per pair.</summary>
public sealed record AthleteTrends(string TimeZone, int Rides, IReadOnlyList<MetricTrend> Muscles, IReadOnlyList<MetricTrend> Pairs);

/// <summary>Weekly trends per athlete in the athlete's time zone (ISO weeks).</summary>
public static class WeeklyTrends
{
    /// <summary>Computes the trends of <paramref name="rides"/> from scratch.</summary>
    public static AthleteTrends Compute(IEnumerable<RideSummary> rides, TimeZoneInfo timeZone, TrendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rides);
        var acc = new WeeklyAccumulator(timeZone, options);
        foreach (var r in rides) acc.Add(r);
        return acc.Result();
    }

    /// <summary>ISO year and week of <paramref name="time"/> in <paramref name="timeZone"/>.</summary>
    public static (int Year, int Week) IsoWeekOf(DateTimeOffset time, TimeZoneInfo timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(time, timeZone).DateTime;
        return (ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local));
    }
}

/// <summary>
/// The incremental form of <see cref="WeeklyTrends"/>: add rides as they arrive (or merge accumulators
/// built in parallel); <see cref="Result"/> equals <see cref="WeeklyTrends.Compute"/> over the same rides,
/// whatever the order. A ride id seen before is ignored.
/// </summary>
public sealed class WeeklyAccumulator
{
    private readonly Dictionary<(string Subject, string Metric), SortedDictionary<int, MetricAccumulator>> _series = [];

    // Weekly values already computed; a ride invalidates its week and the BaselineWeeks after it.
    private readonly Dictionary<(string Subject, string Metric), Dictionary<int, WeeklyValue>> _computed = [];
    private readonly HashSet<string> _rides = new(StringComparer.Ordinal);

    public WeeklyAccumulator(TimeZoneInfo timeZone, TrendOptions? options = null)
    {
        TimeZone = timeZone ?? throw new ArgumentNullException(nameof(timeZone));
        Options = options ?? TrendOptions.Default;
        if (Options.BaselineWeeks < 1) throw new ArgumentException($"BaselineWeeks must be >= 1, was {Options.BaselineWeeks}");
    }

    public TimeZoneInfo TimeZone { get; }
    public TrendOptions Options { get; }
    public int Rides => _rides.Count;

    /// <summary>Adds a ride; false when its id was already added.</summary>
    public bool Add(RideSummary ride)
    {
        ArgumentNullException.ThrowIfNull(ride);
        if (!_rides.Add(ride.RideId)) return false;
        var (year, week) = WeeklyTrends.IsoWeekOf(ride.Start, TimeZone);
        var key = year * 100 + week;
        foreach (var v in ride.Values)
        {
            if (!_series.TryGetValue((v.Subject, v.Metric), out var weeks)) _series[(v.Subject, v.Metric)] = weeks = [];
            weeks.TryGetValue(key, out var acc);
            acc.Add(v.Value);
            weeks[key] = acc;
            Invalidate((v.Subject, v.Metric), key);
        }
        return true;
    }

    /// <summary>Merges another accumulator of the same athlete (rides already here are skipped, as in <see cref="Add"/>).</summary>
    public void Merge(WeeklyAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.TimeZone.Id != TimeZone.Id) throw new ArgumentException($"time zones differ: {TimeZone.Id} and {other.TimeZone.Id}", nameof(other));
        if (other._rides.Overlaps(_rides))
            throw new ArgumentException("the accumulators share rides; merge only disjoint sets or add rides one by one", nameof(other));
        _rides.UnionWith(other._rides);
        foreach (var (k, weeks) in other._series)
        {
            if (!_series.TryGetValue(k, out var mine)) _series[k] = mine = [];
            foreach (var (w, acc) in weeks)
            {
                mine.TryGetValue(w, out var m);
                m.Merge(acc);
                mine[w] = m;
                Invalidate(k, w);
            }
        }
    }

    /// <summary>The trends of every ride added so far.</summary>
    public AthleteTrends Result()
    {
        var muscles = new List<MetricTrend>();
        var pairs = new List<MetricTrend>();
        foreach (var ((subject, metric), weeks) in _series.OrderBy(k => k.Key.Subject, StringComparer.Ordinal)
                     .ThenBy(k => k.Key.Metric, StringComparer.Ordinal))
        {
            if (!_computed.TryGetValue((subject, metric), out var done)) _computed[(subject, metric)] = done = [];
            var list = new List<WeeklyValue>(weeks.Count);
            foreach (var (key, acc) in weeks)
            {
                if (!done.TryGetValue(key, out var value)) done[key] = value = Week(key, acc, weeks, metric);
                list.Add(value);
            }
            (subject.Contains('|') ? pairs : muscles).Add(new MetricTrend(subject, metric, list));
        }
        return new AthleteTrends(TimeZone.Id, _rides.Count, muscles, pairs);
    }

    private void Invalidate((string, string) series, int key)
    {
        if (!_computed.TryGetValue(series, out var done) || done.Count == 0) return;
        var monday = ISOWeek.ToDateTime(key / 100, key % 100, DayOfWeek.Monday);
        for (var k = 0; k <= Options.BaselineWeeks; k++)
        {
            var d = monday.AddDays(7 * k);
            done.Remove(ISOWeek.GetYear(d) * 100 + ISOWeek.GetWeekOfYear(d));
        }
    }

    private WeeklyValue Week(int key, MetricAccumulator acc, SortedDictionary<int, MetricAccumulator> weeks, string metric)
    {
        int year = key / 100, week = key % 100;
        var monday = ISOWeek.ToDateTime(year, week, DayOfWeek.Monday);
        var baseline = new MetricAccumulator();
        for (var k = 1; k <= Options.BaselineWeeks; k++)
        {
            var d = monday.AddDays(-7 * k);
            if (weeks.TryGetValue(ISOWeek.GetYear(d) * 100 + ISOWeek.GetWeekOfYear(d), out var b)) baseline.Merge(b);
        }
        var value = acc.Mean!.Value;
        double? change = null, band = null;
        var flag = false;
        if (baseline.Count > 0) change = R(value - baseline.Mean!.Value);
        if (baseline.Count >= Options.MinBaselineRides)
        {
            // Two standard errors of the difference of means, never below the metric's minimum band.
            var sdBase = baseline.StandardDeviation ?? 0;
            var sdCur = acc.StandardDeviation ?? sdBase;
            var se = Math.Sqrt(sdBase * sdBase / baseline.Count + sdCur * sdCur / acc.Count);
            band = R(Math.Max(Options.MinBand.GetValueOrDefault(metric, Options.DefaultMinBand), 2 * se));
            flag = Math.Abs(change!.Value) > band.Value;
        }
        return new WeeklyValue(year, week, DateOnly.FromDateTime(monday), (int)acc.Count, R(value),
            acc.StandardDeviation is { } sd ? R(sd) : null, acc.Min!.Value, acc.Max!.Value, (int)baseline.Count,
            baseline.Mean is { } bm ? R(bm) : null, change, band, flag);
    }

    private static double R(double v) => Math.Round(v, 4, MidpointRounding.AwayFromZero);
}
