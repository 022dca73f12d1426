namespace NirsSync.Analysis;

/// <summary>Whether a metric is per muscle (channel) or per pair of channels.</summary>
public enum MetricScope
{
    Muscle,
    Pair,
}

/// <summary>Which way a change of the metric reads, other things equal.</summary>
public enum MetricDirection
{
    /// <summary>No general direction: read it with the session (e.g. tHb, a deeper desaturation).</summary>
    Neither,
    HigherIsBetter,
    LowerIsBetter,
    /// <summary>Asymmetries: nearer zero is more balanced.</summary>
    TowardZeroIsBetter,
}

/// <summary>
/// One metric the summaries, trends, exports and dashboard show: its key (the trend and CSV name), label,
/// unit, direction, .NET number format, the smallest noise band a weekly change must leave before it is
/// flagged, and how its value is read from a ride's analysis.
/// </summary>
public sealed record MetricDefinition(string Key, MetricScope Scope, string Label, string Unit, MetricDirection Direction,
    string Format, double NoiseMinimum, string Source)
{
    /// <summary>The value of a per-muscle metric (null for pair metrics).</summary>
    public Func<ChannelMetrics, double?>? OfChannel { get; init; }

    /// <summary>The value of a per-pair metric (null for muscle metrics).</summary>
    public Func<PairMetrics, double?>? OfPair { get; init; }
}

/// <summary>
/// The one list of metrics (docs/metrics.md §6): adding a metric is one entry here. Noise minimums:
/// SmO2 percentiles 3 %, functional range 4 %, tHb 0.3 g/dL, desaturation 3, half-time 5 s; healthy
/// left/right asymmetry sits within about 10-20 % (Sendra-Perez et al. 2024).
/// </summary>
public static class MetricCatalogue
{
    public static readonly IReadOnlyList<MetricDefinition> All =
    [
        Muscle("smo2_p5", "SmO2 P5", "%", MetricDirection.Neither, "0.#", 3, "SmO2.P5", c => c.SmO2.P5),
        Muscle("smo2_p50", "SmO2 P50", "%", MetricDirection.Neither, "0.#", 3, "SmO2.P50", c => c.SmO2.P50),
        Muscle("smo2_p95", "SmO2 P95", "%", MetricDirection.Neither, "0.#", 3, "SmO2.P95", c => c.SmO2.P95),
        Muscle("functional_range", "functional range", "%", MetricDirection.HigherIsBetter, "0.#", 4, "SmO2.FunctionalRange",
            c => c.SmO2.FunctionalRange),
        Muscle("thb_p50", "tHb P50", "g/dL", MetricDirection.Neither, "0.00", 0.3, "THb.P50", c => c.THb.P50),
        Muscle("desaturation_depth", "desaturation depth", "%", MetricDirection.Neither, "0.#", 3,
            "EffortSummary.DesaturationDepth", c => c.EffortSummary.DesaturationDepth),
        Muscle("desaturation_rate", "desaturation rate", "%/min", MetricDirection.Neither, "0.#", 3,
            "EffortSummary.DesaturationRate", c => c.EffortSummary.DesaturationRate),
        Muscle("reoxygenation_half_time_s", "reoxygenation half-time", "s", MetricDirection.LowerIsBetter, "0.#", 5,
            "EffortSummary.ReoxygenationHalfTimeS", c => c.EffortSummary.ReoxygenationHalfTimeS),
        Pair("asymmetry_p50", "asymmetry of SmO2 P50", "%", MetricDirection.TowardZeroIsBetter, "0.#", 10, "P50.AsymmetryIndex",
            p => p.P50.AsymmetryIndex),
        Pair("asymmetry_functional_range", "asymmetry of functional range", "%", MetricDirection.TowardZeroIsBetter, "0.#", 15,
            "FunctionalRange.AsymmetryIndex", p => p.FunctionalRange.AsymmetryIndex),
        Pair("asymmetry_desaturation_rate", "asymmetry of desaturation rate", "%", MetricDirection.TowardZeroIsBetter, "0.#", 20,
            "DesaturationRate.AsymmetryIndex", p => p.DesaturationRate.AsymmetryIndex),
        Pair("asymmetry_reoxygenation_half_time", "asymmetry of reoxygenation", "%", MetricDirection.TowardZeroIsBetter,
            "0.#", 20, "ReoxygenationHalfTime.AsymmetryIndex", p => p.ReoxygenationHalfTime.AsymmetryIndex),
        Pair("correlation", "harmony (correlation)", "", MetricDirection.HigherIsBetter, "0.00", 0.15, "Harmony.Correlation",
            p => p.Harmony.Correlation),
        Pair("difference_p50", "difference of SmO2 P50 (A - B)", "%", MetricDirection.TowardZeroIsBetter, "0.#", 3, "P50.Difference",
            p => p.P50.Difference),
        // Derived per ride by RideSummary (no single result value): accessors are null, Source says how.
        Derived("difference_desaturation_depth", MetricScope.Pair, "difference of desaturation depth (A - B)", "%",
            MetricDirection.TowardZeroIsBetter, "0.#", 3, "derived: A's EffortSummary.DesaturationDepth - B's"),
        Derived("effort_lag_s", MetricScope.Pair, "lag between partners in efforts", "s", MetricDirection.TowardZeroIsBetter, "0.#", 1,
            "derived: mean over EffortHarmony of Harmony.LagS"),
        Derived("effort_correlation", MetricScope.Pair, "harmony in efforts (correlation)", "", MetricDirection.HigherIsBetter, "0.00",
            0.15, "derived: mean over EffortHarmony of Harmony.Correlation"),
        // A family: "smo2_at_250-300w", "smo2_at_400w+" (RideSummary.MatchedBandMinS); its noise minimum is the trends' default band.
        Derived("smo2_at", MetricScope.Muscle, "SmO2 at a power band", "%", MetricDirection.Neither, "0.#", 5,
            "derived: mean SmO2 while power was in the band"),
    ];

    /// <summary>
    /// Values of a ride's per-muscle and per-pair results that are deliberately not trend metrics, by
    /// their source path, with the reason. A value neither here nor in <see cref="All"/> fails the
    /// catalogue test: a new analysis result must be catalogued or listed here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotTrended = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SmO2.Min"] = "smoothed extreme of one ride; the percentiles are the robust levels (facts §5)",
        ["SmO2.Max"] = "smoothed extreme of one ride; the percentiles are the robust levels (facts §5)",
        ["SmO2.Mean"] = "depends on the session's mix of intensities; P50 is the level that is trended",
        ["THb.P5"] = "tHb level is trended by its median",
        ["THb.P95"] = "tHb level is trended by its median",
        ["THb.Mean"] = "tHb level is trended by its median",
        ["O2HbMean"] = "derived from tHb and SmO2, both trended",
        ["HHbMean"] = "derived from tHb and SmO2, both trended",
        ["SlopeZones.RisingS"] = "seconds of one ride: depend on its length and content",
        ["SlopeZones.FlatS"] = "seconds of one ride: depend on its length and content",
        ["SlopeZones.FallingS"] = "seconds of one ride: depend on its length and content",
        ["SlopeZones.FreefallS"] = "seconds of one ride: depend on its length and content",
        ["EffortSummary.Count"] = "how many efforts the ride had, not a muscle property",
        ["EffortSummary.MeanResponseTimeS"] = "shown per ride; the reoxygenation half-time is the trended recovery kinetics",
        ["EffortSummary.RecoveriesCut"] = "how many recoveries the next effort cut short, not a muscle property",
        ["EffortSummary.Overshoot"] = "peak - baseline: reliability not established for weekly flags",
        ["P50.A"] = "the partners' own values are trended per muscle",
        ["P50.B"] = "the partners' own values are trended per muscle",
        ["FunctionalRange.A"] = "the partners' own values are trended per muscle",
        ["FunctionalRange.B"] = "the partners' own values are trended per muscle",
        ["FunctionalRange.Difference"] = "the asymmetry index is the scale-free form that is trended",
        ["DesaturationRate.A"] = "the partners' own values are trended per muscle",
        ["DesaturationRate.B"] = "the partners' own values are trended per muscle",
        ["DesaturationRate.Difference"] = "the asymmetry index is the scale-free form that is trended",
        ["ReoxygenationHalfTime.A"] = "the partners' own values are trended per muscle",
        ["ReoxygenationHalfTime.B"] = "the partners' own values are trended per muscle",
        ["ReoxygenationHalfTime.Difference"] = "the asymmetry index is the scale-free form that is trended",
        ["Harmony.BestCorrelation"] = "the zero-lag correlation is trended; the best one within the lag window is shown per ride",
        ["Harmony.LagS"] = "a lag, shown per ride",
        ["Harmony.Samples"] = "how many rows the correlation used, not a metric",
    };

    private static readonly Dictionary<string, MetricDefinition> ByKey = All.ToDictionary(m => m.Key, StringComparer.Ordinal);

    /// <summary>The per-muscle metrics, in catalogue order.</summary>
    public static readonly IReadOnlyList<MetricDefinition> MuscleMetrics = [.. All.Where(m => m.Scope == MetricScope.Muscle)];

    /// <summary>The per-pair metrics, in catalogue order.</summary>
    public static readonly IReadOnlyList<MetricDefinition> PairMetrics = [.. All.Where(m => m.Scope == MetricScope.Pair)];

    /// <summary>
    /// The metric <paramref name="key"/>; a family member ("smo2_at_250-300w", "desaturation_depth[180s+,300-350w]")
    /// is described by its base metric (<see cref="NoisePriors.BaseMetric"/>).
    /// </summary>
    public static MetricDefinition? Find(string key) =>
        ByKey.GetValueOrDefault(key) ?? ByKey.GetValueOrDefault(NoisePriors.BaseMetric(key));

    /// <summary>The metric <paramref name="key"/>; throws naming the key when the catalogue does not describe it.</summary>
    public static MetricDefinition Get(string key) => Find(key) is { } m
        ? m
        : throw new KeyNotFoundException($"metric '{key}' is not in the metric catalogue");

    /// <summary>The value formatted with the metric's number format (invariant culture), "" for null.</summary>
    public static string Display(this MetricDefinition metric, double? value) =>
        value is { } v ? v.ToString(metric.Format, System.Globalization.CultureInfo.InvariantCulture) : "";

    private static MetricDefinition Muscle(string key, string label, string unit, MetricDirection direction, string format,
        double noise, string source, Func<ChannelMetrics, double?> value) =>
        new(key, MetricScope.Muscle, label, unit, direction, format, noise, source) { OfChannel = value };

    private static MetricDefinition Derived(string key, MetricScope scope, string label, string unit, MetricDirection direction,
        string format, double noise, string source) =>
        new(key, scope, label, unit, direction, format, noise, source);

    private static MetricDefinition Pair(string key, string label, string unit, MetricDirection direction, string format,
        double noise, string source, Func<PairMetrics, double?> value) =>
        new(key, MetricScope.Pair, label, unit, direction, format, noise, source) { OfPair = value };
}
