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

    /// <summary>Per-pair metric names (<see cref="MetricCatalogue"/>).</summary>
    public static readonly IReadOnlyList<string> PairMetrics = [.. MetricCatalogue.PairMetrics.Select(m => m.Key)];

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
            foreach (var m in MetricCatalogue.MuscleMetrics) Add(values, subject, m.Key, m.OfChannel!(c));
        }
        foreach (var p in analysis.Pairs)
        {
            if (!subjects.TryGetValue(p.A, out var a) || !subjects.TryGetValue(p.B, out var b)) continue;
            var subject = $"{a}|{b}";
            foreach (var m in MetricCatalogue.PairMetrics) Add(values, subject, m.Key, m.OfPair!(p));
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
