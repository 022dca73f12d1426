namespace NirsSync.Analysis;

/// <summary>
/// One key metric of one ride. Subject: a muscle "vastus_lateralis/left" (a region "quadriceps/left" when
/// the muscle is unknown, "sensor:N" when only the sensor is known), or a pair "A|B" of two subjects.
/// </summary>
public sealed record MetricValue(string Subject, string Metric, double Value);

/// <summary>What weekly trends need of one ride: its id, start and key metric values.</summary>
public sealed record RideSummary(string RideId, DateTimeOffset Start, IReadOnlyList<MetricValue> Values)
{
    /// <summary>Per-muscle metric names (<see cref="MetricCatalogue"/>).</summary>
    public static readonly IReadOnlyList<string> MuscleMetrics = [.. MetricCatalogue.MuscleMetrics.Select(m => m.Key)];

    /// <summary>Per-pair metric names.</summary>
    public static readonly IReadOnlyList<string> PairMetrics =
        ["asymmetry_p50", "asymmetry_functional_range", "asymmetry_desaturation_rate", "asymmetry_reoxygenation_half_time", "correlation",
         "difference_p50", "difference_desaturation_depth", "effort_lag_s", "effort_correlation"];

    /// <summary>Seconds a ride must spend in a power band before its SmO2 there is a weekly value ("smo2_at_250-300w").</summary>
    public const double MatchedBandMinS = 120;

    /// <summary>
    /// Like-with-like names: "smo2_at_{from}-{to}w" (SmO2 mean in a power band, open band "{from}w+"), and the kinetics of
    /// efforts of one class, "reoxygenation_half_time_s[{duration},{power}]" and "desaturation_depth[...]": durations
    /// "<60s", "60-180s", "180s+"; power in 50 W bands of the effort's mean power ("300-350w").
    /// </summary>
    public static string EffortClass(double durationS, double meanPowerW)
    {
        var d = durationS < 60 ? "<60s" : durationS < 180 ? "60-180s" : "180s+";
        var from = Math.Floor(meanPowerW / 50) * 50;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{d},{from:0}-{from + 50:0}w]");
    }

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
            AddMatched(values, subject, c);
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
            Add(values, subject, "difference_p50", p.P50.Difference);
            var ca = analysis.Channels.First(c => c.Channel.Id == p.A);
            var cb = analysis.Channels.First(c => c.Channel.Id == p.B);
            if (ca.EffortSummary.DesaturationDepth is { } da && cb.EffortSummary.DesaturationDepth is { } db)
                Add(values, subject, "difference_desaturation_depth", Math.Round(da - db, 3));
            // Dysharmony over weeks: the partners' lag and correlation averaged over the ride's efforts.
            double lag = 0, r = 0;
            int nl = 0, nr = 0;
            foreach (var e in p.EffortHarmony)
            {
                if (e.Harmony.LagS is { } l) { lag += l; nl++; }
                if (e.Harmony.Correlation is { } cr) { r += cr; nr++; }
            }
            if (nl > 0) Add(values, subject, "effort_lag_s", Math.Round(lag / nl, 3));
            if (nr > 0) Add(values, subject, "effort_correlation", Math.Round(r / nr, 4));
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

    /// <summary>SmO2 per power band with enough time in it, and the kinetics of each class of power efforts.</summary>
    private static void AddMatched(List<MetricValue> values, string subject, ChannelMetrics c)
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        foreach (var b in c.PowerBands)
            if (b.Seconds >= MatchedBandMinS && b.SmO2Mean is { } m)
                Add(values, subject, b.ToW is { } to ? string.Create(ci, $"smo2_at_{b.FromW:0}-{to:0}w") : string.Create(ci, $"smo2_at_{b.FromW:0}w+"), m);
        if (c.Efforts.Count == 0) return;
        var classes = new Dictionary<string, (double Half, int Nh, double Depth, int Nd)>(StringComparer.Ordinal);
        foreach (var e in c.Efforts)
        {
            if (e.Source != EffortSource.Power || e.MeanPowerW <= 0) continue;
            var k = EffortClass(e.DurationS, e.MeanPowerW);
            classes.TryGetValue(k, out var a);
            if (e.HalfTimeFromEndS is { } h) { a.Half += h; a.Nh++; }
            if (e.Depth is { } d) { a.Depth += d; a.Nd++; }
            classes[k] = a;
        }
        foreach (var (k, a) in classes)
        {
            if (a.Nh > 0) Add(values, subject, "reoxygenation_half_time_s" + k, Math.Round(a.Half / a.Nh, 3));
            if (a.Nd > 0) Add(values, subject, "desaturation_depth" + k, Math.Round(a.Depth / a.Nd, 3));
        }
    }

    private static void Add(List<MetricValue> values, string subject, string metric, double? v)
    {
        if (v is { } x && double.IsFinite(x)) values.Add(new MetricValue(subject, metric, x));
    }
}
