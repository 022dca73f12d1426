using System.Globalization;

namespace NirsSync.Analysis;

/// <summary>Trend settings: baselines, the noise model and the flag rules (docs/metrics.md, "Weekly trends").</summary>
public sealed record TrendOptions
{
    public static readonly TrendOptions Default = new();

    /// <summary>Weeks before the current one that form its baseline.</summary>
    public int BaselineWeeks { get; init; } = 4;

    /// <summary>Fewest rides in the baseline weeks before a change can be flagged.</summary>
    public int MinBaselineRides { get; init; } = 2;

    /// <summary>The noise band and the minimum detectable change are at least this for a metric (units of the metric); unknown metrics use <see cref="DefaultMinBand"/>.</summary>
    public IReadOnlyDictionary<string, double> MinBand { get; init; } = new Dictionary<string, double>
    {
        ["smo2_p5"] = 3, ["smo2_p50"] = 3, ["smo2_p95"] = 3, ["functional_range"] = 4, ["thb_p50"] = 0.3,
        ["desaturation_depth"] = 3, ["desaturation_rate"] = 3, ["reoxygenation_half_time_s"] = 5,
        // Healthy left/right asymmetry sits within about 10-20 % (Sendra-Perez et al. 2024).
        ["asymmetry_p50"] = 10, ["asymmetry_functional_range"] = 15, ["asymmetry_desaturation_rate"] = 20,
        ["asymmetry_reoxygenation_half_time"] = 20, ["correlation"] = 0.15,
        ["difference_p50"] = 3, ["difference_desaturation_depth"] = 3, ["effort_lag_s"] = 1, ["effort_correlation"] = 0.15,
        ["smo2_at"] = 5,
    };

    public double DefaultMinBand { get; init; } = 5;

    /// <summary>
    /// Chance that a noise-only athlete gets any flag in a given week: every weekly test (each metric's change and each
    /// pair's balance state) uses z for <c>FamilyAlpha / (2 K)</c>, K the number of tests (Bonferroni).
    /// </summary>
    public double FamilyAlpha { get; init; } = 0.01;

    /// <summary>Weeks before the current one whose sessions' spread estimates the athlete's own typical error.</summary>
    public int NoiseWeeks { get; init; } = 12;

    /// <summary>Degrees of freedom (sessions minus one) needed before the athlete's own typical error replaces the published prior.</summary>
    public int MinOwnNoiseDf { get; init; } = 4;

    /// <summary>Without a healthy period, the first weeks on record (of a placement) are the balance reference.</summary>
    public int ReferenceWeeks { get; init; } = 6;

    /// <summary>Weeks (the current one and those before) averaged as the current balance.</summary>
    public int StateWeeks { get; init; } = 2;

    /// <summary>Left/right asymmetry of levels beyond this, %, is outside the healthy range (Sendra-Perez et al. 2025: 10-20 %).</summary>
    public double HealthyAsymmetryPct { get; init; } = 20;

    /// <summary>Periods the coach marks as healthy: the balance reference of the pairs they name.</summary>
    public IReadOnlyList<HealthyPeriod> HealthyPeriods { get; init; } = [];

    /// <summary>Sensor placements per subject: each starts a new baseline (its whole ISO week belongs to the new placement).</summary>
    public IReadOnlyList<PlacementPeriod> Placements { get; init; } = [];

    /// <summary>A dysbalance once flagged stays flagged while the current balance differs from the reference by more than
    /// this multiple of its standard error (hysteresis: it lasts as long as it is there, not only while it is extreme).</summary>
    public double StateHoldZ { get; init; } = 1.96;

    /// <summary>
    /// A week's SmO2 P50 stepping from its previous weeks by more than this many standard errors, in one sensor only, is
    /// a suspected placement change (it suppresses flags and starts a new level baseline, so it is not family-wise).
    /// </summary>
    public double PlacementZ { get; init; } = 2.58;

    /// <summary>Pair metrics whose balance is a state, compared with the reference in every week.</summary>
    public IReadOnlyList<string> BalanceMetrics { get; init; } =
        ["asymmetry_p50", "difference_p50", "difference_desaturation_depth", "asymmetry_desaturation_rate", "asymmetry_reoxygenation_half_time"];
}

/// <summary>
/// One ISO week of one metric: the mean over that week's rides, the spread (sample SD) and range, the
/// baseline (mean over the rides of the previous <see cref="TrendOptions.BaselineWeeks"/> weeks), the
/// change against it, the noise band (two standard errors of these rides, for charts) and whether the week is flagged.
/// </summary>
/// <remarks>
/// <see cref="Flag"/> = (<see cref="ChangeFlag"/> and not a <see cref="SuspectedPlacementChange"/>) or
/// <see cref="Dysbalance"/> or <see cref="OutsideHealthyRange"/>. The numbers behind it: the typical error and where it
/// came from (<see cref="NoiseSource"/> "own" or "prior"), the multiplier <see cref="Z"/> (family-wise), the minimum
/// detectable change <see cref="Mdc"/> for the sessions compared, and for pairs the reference and current balance.
/// </remarks>
public sealed record WeeklyValue(int IsoYear, int IsoWeek, DateOnly WeekStart, int Rides, double Value, double? Spread,
    double Min, double Max, int BaselineRides, double? Baseline, double? Change, double? NoiseBand, bool Flag)
{
    /// <summary>Typical error of one session used for this week (metric units).</summary>
    public double? TypicalError { get; init; }

    /// <summary>"own" (estimated from this athlete's sessions) or "prior" (published, per muscle and metric); null when neither exists.</summary>
    public string? NoiseSource { get; init; }

    /// <summary>Degrees of freedom behind an own typical error (sessions in the noise weeks minus one).</summary>
    public int NoiseDf { get; init; }

    /// <summary>The multiplier of the standard error: the family-wise normal quantile, widened to Student's t for an own estimate.</summary>
    public double? Z { get; init; }

    /// <summary>Minimum detectable change of this week's mean against the baseline mean: max(MinBand, Z TE sqrt(1/n + 1/n_base)).</summary>
    public double? Mdc { get; init; }

    /// <summary>|Change| &gt; Mdc with enough baseline rides.</summary>
    public bool ChangeFlag { get; init; }

    /// <summary>Index of the placement (declared, or a suspected re-taping for level metrics) this week belongs to; 0 = the first.</summary>
    public int Placement { get; init; }

    /// <summary>A level step from the previous week larger than the noise, in this sensor only: reported instead of a change flag, and a new baseline starts.</summary>
    public bool SuspectedPlacementChange { get; init; }

    /// <summary>Balance reference (pairs): mean over the healthy period, else over the first weeks of the placement.</summary>
    public double? Reference { get; init; }

    /// <summary>Rides in the reference.</summary>
    public int ReferenceRides { get; init; }

    /// <summary>"healthy" (a period the coach marked) or "first_weeks".</summary>
    public string? ReferenceSource { get; init; }

    /// <summary>Current balance: mean over the last <see cref="TrendOptions.StateWeeks"/> weeks.</summary>
    public double? Current { get; init; }

    /// <summary>Rides in the current balance.</summary>
    public int CurrentRides { get; init; }

    /// <summary>Minimum detectable difference of the current balance from the reference.</summary>
    public double? StateMdc { get; init; }

    /// <summary>Typical error behind <see cref="StateMdc"/>: the SD of the reference sessions once there are enough, else as for changes.</summary>
    public double? StateTypicalError { get; init; }

    /// <summary>"own_reference" (the reference sessions' spread), "own" or "prior".</summary>
    public string? StateNoiseSource { get; init; }

    /// <summary>The current balance differs from the reference by more than <see cref="StateMdc"/>.</summary>
    public bool Dysbalance { get; init; }

    /// <summary>Asymmetry of levels beyond the healthy range by more than the noise of the current balance.</summary>
    public bool OutsideHealthyRange { get; init; }

    /// <summary>Consecutive weeks (this one included) with a dysbalance or an asymmetry outside the healthy range.</summary>
    public int DysbalanceWeeks { get; init; }
}

/// <summary>The weekly series of one metric of one subject (muscle or pair).</summary>
public sealed record MetricTrend(string Subject, string Metric, IReadOnlyList<WeeklyValue> Weeks);

/// <summary>An athlete's weekly trends: per muscle and per pair.</summary>
public sealed record AthleteTrends(string TimeZone, int Rides, IReadOnlyList<MetricTrend> Muscles, IReadOnlyList<MetricTrend> Pairs)
{
    /// <summary>Change tests (one per metric series); the family is these plus <see cref="StateFamilySize"/>.</summary>
    public int FamilySize { get; init; }

    /// <summary>The normal quantile every test uses before any Student widening (a held dysbalance uses StateHoldZ).</summary>
    public double? FamilyZ { get; init; }

    /// <summary>Balance-state tests (pairs) the family-wise rule counts.</summary>
    public int StateFamilySize { get; init; }

    /// <summary>The same quantile, for the balance-state tests.</summary>
    public double? StateZ { get; init; }
}

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
    private readonly Dictionary<(string Subject, string Metric), WeekSeries> _series = [];

    private readonly HashSet<string> _rides = new(StringComparer.Ordinal);

    public WeeklyAccumulator(TimeZoneInfo timeZone, TrendOptions? options = null)
    {
        TimeZone = timeZone ?? throw new ArgumentNullException(nameof(timeZone));
        Options = options ?? TrendOptions.Default;
        if (Options.BaselineWeeks < 1) throw new ArgumentException($"BaselineWeeks must be >= 1, was {Options.BaselineWeeks}");
        if (!(Options.FamilyAlpha > 0 && Options.FamilyAlpha < 1)) throw new ArgumentException($"FamilyAlpha must be in (0, 1), was {Options.FamilyAlpha}");
        if (Options.StateWeeks < 1) throw new ArgumentException($"StateWeeks must be >= 1, was {Options.StateWeeks}");
        if (Options.ReferenceWeeks < 1) throw new ArgumentException($"ReferenceWeeks must be >= 1, was {Options.ReferenceWeeks}");
        for (var i = 0; i < Options.Placements.Count; i++)
        {
            var p = Options.Placements[i];
            if (string.IsNullOrEmpty(p?.Subject)) throw new ArgumentException($"placement {i + 1} has no subject");
            if (p.To is { } to && to < p.From) throw new ArgumentException($"placement {i + 1} ({p.Subject}) ends before it starts");
        }
        for (var i = 0; i < Options.HealthyPeriods.Count; i++)
            if (Options.HealthyPeriods[i].To < Options.HealthyPeriods[i].From)
                throw new ArgumentException($"healthy period {i + 1} ends before it starts");
        foreach (var g in Options.Placements.GroupBy(p => p.Subject, StringComparer.Ordinal))
            _placementWeeks[g.Key] = g.Select(p => { var (y, w) = WeeklyTrends.IsoWeekOf(p.From, TimeZone); return y * 100 + w; }).ToArray();
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
            if (!_series.TryGetValue((v.Subject, v.Metric), out var weeks)) _series[(v.Subject, v.Metric)] = weeks = new();
            weeks.At(key).Add(v.Value);
            Invalidate(weeks, v.Metric, key);
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
            if (!_series.TryGetValue(k, out var mine)) _series[k] = mine = new();
            foreach (var (w, acc) in weeks)
            {
                mine.At(w).Merge(acc);
                Invalidate(mine, k.Metric, w);
            }
        }
    }

    // What the cached weeks were computed with: a change of either recomputes every week.
    private int _familySize = -1;
    private HashSet<(string Subject, int Week)> _suspected = [];

    /// <summary>The trends of every ride added so far.</summary>
    public AthleteTrends Result()
    {
        int family = _series.Count, states = 0;
        foreach (var (subject, metric) in _series.Keys) if (IsState(subject, metric)) states++;
        // Suspected placement changes depend on the SmO2 P50 series only: found again when one of them changed.
        if (_levelsChanged || family != _suspectedFamily)
        {
            _suspectedFound = SuspectedPlacementChanges(family);
            _levelsChanged = false;
            _suspectedFamily = family;
        }
        var suspected = _suspectedFound;
        if (family * 1000 + states != _familySize || !suspected.SetEquals(_suspected))
        {
            foreach (var series in _series.Values) series.Done.Clear();
            _references.Clear();
            _familySize = family * 1000 + states;
            _suspected = suspected;
            _suspectedBySubject = suspected.GroupBy(x => x.Subject, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(x => x.Week).Order().ToArray(), StringComparer.Ordinal);
        }
        // One family: every change test and every balance-state test of the week (Bonferroni).
        var z = family == 0 ? (double?)null : NoisePriors.UpperNormalQuantile(Options.FamilyAlpha / (2.0 * (family + states)));
        var zState = z ?? 0;
        var muscles = new List<MetricTrend>();
        var pairs = new List<MetricTrend>();
        foreach (var ((subject, metric), weeks) in _series.OrderBy(k => k.Key.Subject, StringComparer.Ordinal)
                     .ThenBy(k => k.Key.Metric, StringComparer.Ordinal))
        {
            var done = weeks.Done;
            var list = new List<WeeklyValue>(weeks.Count);
            WeeklyValue? previous = null;
            var previousKey = 0;
            // The series as arrays with prefix sums, built only when one of its weeks must be computed.
            SeriesView? view = null;
            var i = 0;
            foreach (var (key, acc) in weeks)
            {
                if (!done.TryGetValue(key, out var value))
                {
                    view ??= View(subject, metric, weeks);
                    done[key] = value = Week(view, i, z!.Value, zState, previous, previousKey);
                }
                list.Add(value);
                previous = value;
                previousKey = key;
                i++;
            }
            (subject.Contains('|') ? pairs : muscles).Add(new MetricTrend(subject, metric, list));
        }
        return new AthleteTrends(TimeZone.Id, _rides.Count, muscles, pairs)
        {
            FamilySize = family, FamilyZ = z is { } zz ? R(zz) : null, StateFamilySize = states, StateZ = states == 0 ? null : R(zState),
        };
    }

    /// <summary>A ride in week <paramref name="key"/> changes that week and every later one (baselines, noise, references).</summary>
    private bool _levelsChanged = true;
    private int _suspectedFamily = -1;
    private HashSet<(string Subject, int Week)> _suspectedFound = [];

    private void Invalidate(WeekSeries series, string metric, int key)
    {
        _references.Clear();
        if (metric is "smo2_p50" or "smo2_p95") _levelsChanged = true;
        var done = series.Done;
        if (done.Count == 0) return;
        // The week before too: a suspected placement step looks one week ahead.
        var from = Shift(key, -1);
        foreach (var k in done.Keys.Where(k => k >= from).ToList()) done.Remove(k);
    }

    private bool IsState(string subject, string metric) =>
        subject.Contains('|') && Options.BalanceMetrics.Contains(NoisePriors.BaseMetric(metric));

    /// <summary>Level metrics move with the sensor's placement (a re-taping shifts them).</summary>
    private static bool IsLevel(string metric) => NoisePriors.BaseMetric(metric) is "smo2_p5" or "smo2_p50" or "smo2_p95" or "smo2_at"
        or "thb_p50" or "asymmetry_p50" or "difference_p50" or "asymmetry_functional_range";

    private static DateTime Monday(int key) => ISOWeek.ToDateTime(key / 100, key % 100, DayOfWeek.Monday);

    private static int WeekKey(DateTime d) => ISOWeek.GetYear(d) * 100 + ISOWeek.GetWeekOfYear(d);

    // Week keys (year * 100 + week) shifted by whole weeks, memoised: trend rules look back a few weeks from every week.
    private readonly Dictionary<long, int> _shifted = [];

    /// <summary>The key of the week <paramref name="weeks"/> weeks after (negative: before) week <paramref name="key"/>.</summary>
    private int Shift(int key, int weeks)
    {
        var k = (long)key << 16 | (ushort)(short)weeks;
        if (!_shifted.TryGetValue(k, out var r)) _shifted[k] = r = WeekKey(Monday(key).AddDays(7 * weeks));
        return r;
    }

    /// <summary>The placement index of a subject (a muscle, or both of a pair) in week <paramref name="key"/>.</summary>
    private int Epoch(string subject, string metric, int key)
    {
        if (_placementWeeks.Count == 0 && _suspected.Count == 0) return 0;
        if (!_parts.TryGetValue((subject, metric), out var parts))
        {
            var bar = subject.IndexOf('|', StringComparison.Ordinal);
            _parts[(subject, metric)] = parts = (bar < 0 ? subject : subject[..bar], bar < 0 ? null : subject[(bar + 1)..], IsLevel(metric));
        }
        var a = EpochOf(parts.A, parts.Level, key);
        return parts.B is null ? a : a * 1024 + EpochOf(parts.B, parts.Level, key);
    }

    // Per series: its subject's parts (a pair's two muscles) and whether it is a level metric.
    private readonly Dictionary<(string, string), (string A, string? B, bool Level)> _parts = [];

    // Suspected placement changes per subject (weeks), rebuilt with the set.
    private Dictionary<string, int[]> _suspectedBySubject = [];

    private int EpochOf(string subject, string metric, int key) => EpochOf(subject, IsLevel(metric), key);

    private int EpochOf(string subject, bool level, int key)
    {
        if (_placementWeeks.Count == 0 && _suspected.Count == 0) return 0;
        var e = 0;
        if (_placementWeeks.TryGetValue(subject, out var starts))
            foreach (var w in starts) if (w <= key) e++;
        if (level && _suspectedBySubject.TryGetValue(subject, out var weeks))
            foreach (var w in weeks) if (w <= key) e++;
        return e;
    }

    // The ISO week each declared placement starts in, per subject.
    private readonly Dictionary<string, int[]> _placementWeeks = [];

    /// <summary>
    /// Weeks where one sensor's SmO2 P50, over that week and the next (the new level must hold), stepped away from its
    /// previous BaselineWeeks weeks by more than PlacementZ standard errors while every other sensor with data in the same
    /// weeks stayed within half of its own threshold: a re-taping or a moved sensor rather than physiology.
    /// </summary>
    private HashSet<(string Subject, int Week)> SuspectedPlacementChanges(int family)
    {
        var found = new HashSet<(string, int)>();
        if (family == 0) return found;
        var levels = _series.Where(k => !k.Key.Subject.Contains('|') && k.Key.Metric == "smo2_p50").ToList();
        if (levels.Count < 2) return found;
        foreach (var ((subject, _), weeks) in levels)
        {
            var keys = weeks.Keys.ToList();
            var segment = int.MinValue; // a suspected change starts a new segment: later steps compare within it
            for (var i = 1; i < keys.Count; i++)
            {
                var cur = keys[i];
                var next = i + 1 < keys.Count ? keys[i + 1] : (int?)null;
                if (Step(subject, weeks, cur, next, segment) is not { } mine || Math.Abs(mine.Step) <= mine.Threshold) continue;
                // A moved sensor shifts its whole signal, the resting ceiling (P95) with the rest; an over-used muscle
                // desaturates deeper in work and keeps its ceiling. So the P95 must step the same way, by half as much.
                if (_series.TryGetValue((subject, "smo2_p95"), out var ceiling) && ceiling.ContainsKey(cur))
                {
                    var up = Step(subject, ceiling, cur, next is { } n2 && ceiling.ContainsKey(n2) ? n2 : null, segment, "smo2_p95");
                    if (up is not { } c || Math.Sign(c.Step) != Math.Sign(mine.Step) || Math.Abs(c.Step) < Math.Abs(mine.Step) / 2) continue;
                }
                var others = 0;
                var quiet = true;
                foreach (var ((other, _), ow) in levels)
                {
                    if (other == subject || !ow.ContainsKey(cur)) continue;
                    if (Step(other, ow, cur, next is { } nk && ow.ContainsKey(nk) ? nk : null, int.MinValue) is not { } theirs) continue;
                    others++;
                    if (Math.Abs(theirs.Step) > theirs.Threshold / 2) quiet = false;
                }
                if (others > 0 && quiet)
                {
                    found.Add((subject, cur));
                    segment = cur;
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Week <paramref name="cur"/> (with the following week when there is one, so the new level must hold) against the
    /// previous BaselineWeeks weeks of the same declared placement.
    /// </summary>
    private (double Step, double Threshold, double Before)? Step(string subject, WeekSeries weeks, int cur,
        int? next, int segment, string metric = "smo2_p50")
    {
        var epoch = EpochOf(subject, "", cur);
        var before = new MetricAccumulator();
        for (var k = 1; k <= Options.BaselineWeeks; k++)
        {
            var wk = Shift(cur, -k);
            if (wk >= segment && weeks.TryGetValue(wk, out var a) && EpochOf(subject, "", wk) == epoch) before.Merge(a);
        }
        if (before.Count == 0) return null;
        var (te, df, own) = TypicalError(subject, metric, cur, weeks, declaredOnly: true);
        if (te is not { } t) return null;
        var q = own ? NoisePriors.StudentQuantile(Options.PlacementZ, df) : Options.PlacementZ;
        var after = weeks[cur];
        if (next is { } nk && weeks.TryGetValue(nk, out var na) && EpochOf(subject, "", nk) == epoch) after.Merge(na);
        var b = before.Mean!.Value;
        return (after.Mean!.Value - b, Math.Max(MinBand(metric), q * t * Math.Sqrt(1.0 / after.Count + 1.0 / before.Count)), b);
    }

    private double MinBand(string metric) =>
        Options.MinBand.TryGetValue(metric, out var m) ? m : Options.MinBand.GetValueOrDefault(NoisePriors.BaseMetric(metric), Options.DefaultMinBand);

    /// <summary>
    /// One session's typical error: the SD of the athlete's session values over the previous NoiseWeeks weeks of this
    /// placement once there are MinOwnNoiseDf + 1 sessions (sessions, never efforts; a real trend in those weeks only
    /// widens it), else the published prior.
    /// </summary>
    private (double? Te, int Df, bool Own) TypicalError(string subject, string metric, int key,
        WeekSeries weeks, bool declaredOnly = false)
    {
        var epoch = declaredOnly ? EpochOf(subject, "", key) : Epoch(subject, metric, key);
        var all = new MetricAccumulator();
        for (var k = 1; k <= Options.NoiseWeeks; k++)
        {
            var wk = Shift(key, -k);
            if (!weeks.TryGetValue(wk, out var a)) continue;
            if ((declaredOnly ? EpochOf(subject, "", wk) : Epoch(subject, metric, wk)) != epoch) continue;
            all.Merge(a);
        }
        var df = (int)Math.Max(0, all.Count - 1);
        if (df >= Options.MinOwnNoiseDf && all.StandardDeviation is { } sd) return (sd, df, true);
        var bar = subject.IndexOf('|', StringComparison.Ordinal);
        var prior = NoisePriors.TypicalError(bar < 0 ? subject : subject[..bar], metric);
        return (prior, df, false);
    }

    /// <summary>
    /// One series as arrays for the weekly rules: week keys, absolute week numbers, the accumulators, prefix sums of
    /// count, sum and sum of squares (a window's totals are two subtractions, the same integers a merge would give), the
    /// placement index of each week and where its run of weeks in that placement starts (placements only ever advance
    /// in time, so the weeks of a window in the current placement are a suffix of the window), and prefix sums of each
    /// week's own sum of squares about its mean (the balance state's within-week noise).
    /// </summary>
    private sealed class SeriesView
    {
        public required string Subject;
        public required string Metric;
        public required WeekSeries Weeks;
        public required int[] Keys;
        public required int[] Abs;
        public required MetricAccumulator[] Accs;
        public required int[] Epochs;
        public required int[] EpochStart;
        public required long[] Count;
        public required long[] Sum;
        public required Int128[] Squares;
        public required double[] WithinSs;
        public required int[] WithinDf;
        public required double? Prior;
        public required double MinBand;
        public required bool IsState;
        public required bool IsLevel;
        public required string PartA;
        public required string? PartB;

        /// <summary>The first index whose absolute week is at least <paramref name="abs"/>.</summary>
        public int From(int abs)
        {
            var i = Array.BinarySearch(Abs, abs);
            return i >= 0 ? i : ~i;
        }

        /// <summary>The first index whose week key is after <paramref name="key"/>.</summary>
        public int After(int key)
        {
            if (key == int.MinValue) return 0;
            var i = Array.BinarySearch(Keys, key);
            return i >= 0 ? i + 1 : ~i;
        }
    }

    private SeriesView View(string subject, string metric, WeekSeries weeks)
    {
        var n = weeks.Count;
        var bar = subject.IndexOf('|', StringComparison.Ordinal);
        var v = new SeriesView
        {
            Subject = subject, Metric = metric, Weeks = weeks,
            Keys = new int[n], Abs = new int[n], Accs = new MetricAccumulator[n], Epochs = new int[n], EpochStart = new int[n],
            Count = new long[n + 1], Sum = new long[n + 1], Squares = new Int128[n + 1], WithinSs = new double[n + 1], WithinDf = new int[n + 1],
            Prior = NoisePriors.TypicalError(bar < 0 ? subject : subject[..bar], metric),
            MinBand = MinBand(metric), IsState = IsState(subject, metric), IsLevel = IsLevel(metric),
            PartA = bar < 0 ? subject : subject[..bar], PartB = bar < 0 ? null : subject[(bar + 1)..],
        };
        var i = 0;
        foreach (var (key, acc) in weeks)
        {
            v.Keys[i] = key;
            v.Abs[i] = AbsoluteWeek(key);
            v.Accs[i] = acc;
            v.Epochs[i] = Epoch(subject, metric, key);
            v.EpochStart[i] = i > 0 && v.Epochs[i - 1] == v.Epochs[i] ? v.EpochStart[i - 1] : i;
            v.Count[i + 1] = v.Count[i] + acc.Count;
            v.Sum[i + 1] = v.Sum[i] + acc.Sum;
            v.Squares[i + 1] = v.Squares[i] + acc.SumOfSquares;
            v.WithinSs[i + 1] = v.WithinSs[i] + SumOfSquares(acc);
            v.WithinDf[i + 1] = v.WithinDf[i] + (int)Math.Max(0, acc.Count - 1);
            i++;
        }
        return v;
    }

    // Absolute week numbers (days since 0001-01-01, a Monday, over 7) of week keys, memoised.
    private readonly Dictionary<int, int> _absolute = [];

    private int AbsoluteWeek(int key)
    {
        if (!_absolute.TryGetValue(key, out var a)) _absolute[key] = a = DateOnly.FromDateTime(Monday(key)).DayNumber / 7;
        return a;
    }

    /// <summary>Sum of squared deviations from the mean (metric units²), exact in integer units until the final division.</summary>
    private static double SumOfSquares(in MetricAccumulator a)
    {
        if (a.Count < 2) return 0;
        var num = a.Count * a.SumOfSquares - (Int128)a.Sum * a.Sum;
        return (double)num / a.Count / (MetricAccumulator.Resolution * MetricAccumulator.Resolution);
    }

    private WeeklyValue Week(SeriesView v, int i, double z, double zState, WeeklyValue? previous, int previousKey)
    {
        var (subject, metric, weeks) = (v.Subject, v.Metric, v.Weeks);
        var key = v.Keys[i];
        var acc = v.Accs[i];
        int year = key / 100, week = key % 100;
        var monday = Monday(key);
        var epoch = v.Epochs[i];
        // The previous BaselineWeeks weeks of this placement: indices [lo, i).
        var lo = Math.Max(v.From(v.Abs[i] - Options.BaselineWeeks), v.EpochStart[i]);
        var baseCount = v.Count[i] - v.Count[lo];
        var baseSum = v.Sum[i] - v.Sum[lo];
        var baseMean = MetricAccumulator.MeanOf(baseCount, baseSum);
        var value = acc.Mean!.Value;
        double? change = null, band = null, mdc = null;
        var changeFlag = false;
        if (baseCount > 0) change = R(value - baseMean!.Value);
        var (te, df, own) = TypicalError(v, i);
        var q = own ? NoisePriors.StudentQuantile(z, df) : z;
        var minBand = v.MinBand;
        if (baseCount >= Options.MinBaselineRides)
        {
            // The statistical band of these rides (for charts), never below the metric's minimum.
            var sdBase = MetricAccumulator.StandardDeviationOf(baseCount, baseSum, v.Squares[i] - v.Squares[lo]) ?? 0;
            var sdCur = acc.StandardDeviation ?? sdBase;
            var se = Math.Sqrt(sdBase * sdBase / baseCount + sdCur * sdCur / acc.Count);
            band = R(Math.Max(minBand, 2 * se));
            if (te is { } t)
            {
                mdc = R(Math.Max(minBand, q * t * Math.Sqrt(1.0 / acc.Count + 1.0 / baseCount)));
                changeFlag = Math.Abs(change!.Value) > mdc.Value;
            }
        }
        var suspected = v.IsLevel && (_suspected.Contains((v.PartA, key)) || v.PartB is { } pb && _suspected.Contains((pb, key)));

        // Balance as a state: the current balance against the reference, every week.
        double? reference = null, current = null, stateMdc = null, stateTe = null;
        string? stateNoise = null;
        int refRides = 0, curRides = 0, dysWeeks = 0;
        string? refSource = null;
        bool dysbalance = false, outside = false;
        if (v.IsState && te is { } tes)
        {
            var (refAcc, source, lastRefWeek) = Reference(subject, metric, key, weeks, epoch);
            // The last StateWeeks weeks (this one included) of this placement after the reference: indices [cl, i].
            var afterRef = v.After(lastRefWeek);
            var cl = Math.Max(Math.Max(v.From(v.Abs[i] - Options.StateWeeks + 1), v.EpochStart[i]), afterRef);
            var curCount = cl <= i ? v.Count[i + 1] - v.Count[cl] : 0;
            if (refAcc.Count >= Options.MinBaselineRides && curCount > 0 && key > lastRefWeek)
            {
                reference = R(refAcc.Mean!.Value);
                refRides = (int)refAcc.Count;
                refSource = source;
                current = R(MetricAccumulator.MeanOf(curCount, v.Sum[i + 1] - v.Sum[cl])!.Value);
                curRides = (int)curCount;
                // The state's noise is the athlete's own session-to-session spread where a dysbalance cannot widen it:
                // the reference sessions around their mean (a stable period by definition), pooled with the spread of
                // the sessions within each later week around that week's mean (a persistent dysbalance moves a whole
                // week, not its sessions apart). One-way pooled variance: sum of squares over summed degrees of freedom.
                var wl = Math.Max(afterRef, v.EpochStart[i]);
                var pooledSs = SumOfSquares(refAcc) + (v.WithinSs[i + 1] - v.WithinSs[wl]);
                var pooledDf = (int)Math.Max(0, refAcc.Count - 1) + (v.WithinDf[i + 1] - v.WithinDf[wl]);
                var ownState = pooledDf >= Options.MinOwnNoiseDf && pooledSs >= 0;
                if (ownState) tes = Math.Sqrt(pooledSs / pooledDf);
                var sdf = ownState ? pooledDf : df;
                var studentState = ownState || own;
                var qs = studentState ? NoisePriors.StudentQuantile(zState, sdf) : zState;
                // A dysbalance already flagged last week is held with the lower StateHoldZ (hysteresis).
                var held = previous is { } pw && pw.Dysbalance && Shift(key, -1) == previousKey;
                if (held) qs = studentState ? NoisePriors.StudentQuantile(Options.StateHoldZ, sdf) : Options.StateHoldZ;
                stateTe = tes;
                stateNoise = ownState ? "own_reference" : own ? "own" : "prior";
                var se = tes * Math.Sqrt(1.0 / curCount + 1.0 / refAcc.Count);
                stateMdc = R(Math.Max(minBand, qs * se));
                dysbalance = Math.Abs(current.Value - reference.Value) > stateMdc.Value;
                outside = NoisePriors.BaseMetric(metric) == "asymmetry_p50"
                    && Math.Abs(current.Value) - Options.HealthyAsymmetryPct > qs * tes / Math.Sqrt(curCount);
                if (dysbalance || outside)
                    dysWeeks = previous is { } p && (p.Dysbalance || p.OutsideHealthyRange) && Shift(key, -1) == previousKey
                        ? p.DysbalanceWeeks + 1 : 1;
            }
        }
        var flag = (changeFlag && !suspected) || dysbalance || outside;
        return new WeeklyValue(year, week, DateOnly.FromDateTime(monday), (int)acc.Count, R(value),
            acc.StandardDeviation is { } sd ? R(sd) : null, acc.Min!.Value, acc.Max!.Value, (int)baseCount,
            baseMean is { } bm ? R(bm) : null, change, band, flag)
        {
            TypicalError = te is { } tv ? R(tv) : null,
            NoiseSource = te is null ? null : own ? "own" : "prior",
            NoiseDf = df,
            Z = te is null ? null : R(q),
            Mdc = mdc,
            ChangeFlag = changeFlag,
            Placement = epoch,
            SuspectedPlacementChange = suspected,
            Reference = reference,
            ReferenceRides = refRides,
            ReferenceSource = refSource,
            Current = current,
            CurrentRides = curRides,
            StateMdc = stateMdc,
            StateTypicalError = stateTe is { } st ? R(st) : null,
            StateNoiseSource = stateNoise,
            Dysbalance = dysbalance,
            OutsideHealthyRange = outside,
            DysbalanceWeeks = dysWeeks,
        };
    }

    /// <summary>
    /// <see cref="TypicalError(string, string, int, WeekSeries, bool)"/> of week
    /// <paramref name="i"/> from the series' prefix sums: the previous NoiseWeeks weeks of its placement.
    /// </summary>
    private (double? Te, int Df, bool Own) TypicalError(SeriesView v, int i)
    {
        var lo = Math.Max(v.From(v.Abs[i] - Options.NoiseWeeks), v.EpochStart[i]);
        var count = v.Count[i] - v.Count[lo];
        var df = (int)Math.Max(0, count - 1);
        if (df >= Options.MinOwnNoiseDf && MetricAccumulator.StandardDeviationOf(count, v.Sum[i] - v.Sum[lo], v.Squares[i] - v.Squares[lo]) is { } sd)
            return (sd, df, true);
        return (v.Prior, df, false);
    }

    /// <summary>
    /// The balance reference of a pair metric in this placement: the weeks of the coach's healthy periods (for this pair or
    /// every pair), else the first ReferenceWeeks calendar weeks with rides; and the last week it covers.
    /// </summary>
    private (MetricAccumulator Acc, string Source, int LastWeek) Reference(string subject, string metric, int key,
        WeekSeries weeks, int epoch)
    {
        if (_references.TryGetValue((subject, metric, epoch), out var cached)) return cached;
        return _references[(subject, metric, epoch)] = ComputeReference(subject, metric, weeks, epoch);
    }

    // References per series and placement, valid until a ride is added (they depend on the whole series).
    private readonly Dictionary<(string, string, int), (MetricAccumulator, string, int)> _references = [];

    private (MetricAccumulator Acc, string Source, int LastWeek) ComputeReference(string subject, string metric,
        WeekSeries weeks, int epoch)
    {
        var acc = new MetricAccumulator();
        var last = int.MinValue;
        foreach (var h in Options.HealthyPeriods)
        {
            if (h.Subject is { } hs && hs != subject) continue;
            foreach (var (wk, a) in weeks)
            {
                var m = DateOnly.FromDateTime(Monday(wk));
                if (m > h.To || m.AddDays(6) < h.From || Epoch(subject, metric, wk) != epoch) continue;
                acc.Merge(a);
                last = Math.Max(last, wk);
            }
        }
        if (acc.Count > 0) return (acc, "healthy", last);
        int first = int.MinValue;
        foreach (var (wk, a) in weeks)
        {
            if (Epoch(subject, metric, wk) != epoch) continue;
            if (first == int.MinValue) first = wk;
            if (wk >= Shift(first, Options.ReferenceWeeks)) break;
            acc.Merge(a);
            last = wk;
        }
        return (acc, "first_weeks", last);
    }

    private static double R(double v) => Math.Round(v, 4, MidpointRounding.AwayFromZero);
}
