namespace NirsSync.Analysis;

/// <summary>
/// One key metric of one ride. Subject: a muscle "vastus_lateralis/left" (a region "quadriceps/left" when
/// the muscle is unknown, "sensor:N" when only the sensor is known), or a pair "A|B" of two subjects.
/// </summary>
public sealed record MetricValue(string Subject, string Metric, double Value);

/// <summary>What weekly trends need of one ride: its id, start and key metric values.</summary>
public sealed record RideSummary(string RideId, DateTimeOffset Start, IReadOnlyList<MetricValue> Values)
{
    /// <summary>Per-muscle metric names.</summary>
    public static readonly IReadOnlyList<string> MuscleMetrics =
        ["smo2_p5", "smo2_p50", "smo2_p95", "functional_range", "thb_p50", "desaturation_depth", "desaturation_rate", "reoxygenation_half_time_s"];

    /// <summary>Per-pair metric names.</summary>
    public static readonly IReadOnlyList<string> PairMetrics =
        ["asymmetry_p50", "asymmetry_functional_range", "asymmetry_desaturation_rate", "asymmetry_reoxygenation_half_time", "correlation"];

    /// <summary>The summary of an analysed ride. Channels with neither muscle, region nor sensor are left out.</summary>
    public static RideSummary From(string rideId, RideAnalysis analysis)
    {
        ArgumentException.ThrowIfNullOrEmpty(rideId);
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.Start is not { } start) throw new ArgumentException($"ride {rideId} has no records, so no start time", nameof(analysis));
        var values = new List<MetricValue>();
        var subjects = new Dictionary<string, string>();
        var seen = new HashSet<string>();
        foreach (var c in analysis.Channels)
        {
            if (Subject(c.Channel) is not { } subject || !seen.Add(subject)) continue;
            subjects[c.Channel.Id] = subject;
            Add(values, subject, "smo2_p5", c.SmO2.P5);
            Add(values, subject, "smo2_p50", c.SmO2.P50);
            Add(values, subject, "smo2_p95", c.SmO2.P95);
            Add(values, subject, "functional_range", c.SmO2.FunctionalRange);
            Add(values, subject, "thb_p50", c.THb.P50);
            Add(values, subject, "desaturation_depth", c.EffortSummary.DesaturationDepth);
            Add(values, subject, "desaturation_rate", c.EffortSummary.DesaturationRate);
            Add(values, subject, "reoxygenation_half_time_s", c.EffortSummary.ReoxygenationHalfTimeS);
        }
        foreach (var p in analysis.Pairs)
        {
            if (!subjects.TryGetValue(p.A, out var a) || !subjects.TryGetValue(p.B, out var b)) continue;
            var subject = $"{a}|{b}";
            Add(values, subject, "asymmetry_p50", p.P50.AsymmetryIndex);
            Add(values, subject, "asymmetry_functional_range", p.FunctionalRange.AsymmetryIndex);
            Add(values, subject, "asymmetry_desaturation_rate", p.DesaturationRate.AsymmetryIndex);
            Add(values, subject, "asymmetry_reoxygenation_half_time", p.ReoxygenationHalfTime.AsymmetryIndex);
            Add(values, subject, "correlation", p.Harmony.Correlation);
        }
        return new RideSummary(rideId, start, values);
    }

    /// <summary>The trend subject of a channel, or null when nothing identifies it across rides.</summary>
    public static string? Subject(ChannelInfo c)
    {
        if (c.Muscle != Muscle.Unknown) return $"{Muscles.Name(c.Muscle)}/{Muscles.Name(c.Side)}";
        if (c.Region != Region.Unknown) return $"{c.Region.ToString().ToLowerInvariant()}/{Muscles.Name(c.Side)}";
        return c.Sensor is { } s ? $"sensor:{s}" : null;
    }

    private static void Add(List<MetricValue> values, string subject, string metric, double? v)
    {
        if (v is { } x && double.IsFinite(x)) values.Add(new MetricValue(subject, metric, x));
    }
}
