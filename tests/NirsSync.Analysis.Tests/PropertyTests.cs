using System.Text.Json;
using FsCheck.Xunit;

namespace NirsSync.Analysis.Tests;

public class PropertyTests
{
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static RideFrame RandomRide(int seed)
    {
        var rng = new Random(seed);
        return SyntheticRides.Generate(seed, rng.Next(60, 900), SyntheticRides.PartnerSensors(rng, rng.Next(1, 5)),
            Epoch.AddHours(rng.Next(0, 24 * 200)), dropoutRate: rng.NextDouble() * 0.05);
    }

    [Property(MaxTest = 25)]
    public bool Batch_order_does_not_change_results(int seed)
    {
        var rides = Enumerable.Range(0, 6).Select(i => RandomRide(seed * 7 + i)).ToArray();
        var order = rides.Select((r, i) => i).OrderBy(_ => new Random(seed).Next()).ToArray();
        order = [.. order.Reverse()];
        var forward = RideAnalyzer.AnalyzeBatch(rides, (SensorMap?)null);
        var shuffled = RideAnalyzer.AnalyzeBatch(order.Select(i => rides[i]).ToArray(), (SensorMap?)null);
        for (var k = 0; k < order.Length; k++)
            if (JsonSerializer.Serialize(shuffled[k]) != JsonSerializer.Serialize(forward[order[k]])) return false;
        return JsonSerializer.Serialize(forward[0]) == JsonSerializer.Serialize(RideAnalyzer.Analyze(rides[0]));
    }

    [Property(MaxTest = 200)]
    public bool Merged_accumulators_equal_one_pass(double[] values, int split)
    {
        var xs = values.Where(double.IsFinite).Select(v => Math.IEEERemainder(v, 1e6)).ToArray();
        var cut = xs.Length == 0 ? 0 : Math.Abs(split % (xs.Length + 1));
        MetricAccumulator one = new(), left = new(), right = new();
        foreach (var v in xs) one.Add(v);
        foreach (var v in xs[..cut]) left.Add(v);
        foreach (var v in xs[cut..].Reverse()) right.Add(v);
        right.Merge(left);
        return one == right && one.Mean == right.Mean && one.StandardDeviation == right.StandardDeviation;
    }

    [Property(MaxTest = 200)]
    public bool Histogram_percentiles_equal_sorting(byte[] raw)
    {
        if (raw.Length == 0) return true;
        var values = raw.Select(b => (float)Math.Round(b / 2.55 * 10) / 10).Where(v => v > 0).ToArray();
        if (values.Length == 0) return true;
        var frame = new RideFrame(Frames.Seconds(values.Length), null, [RideColumn.Native(57, values)]);
        var c = RideAnalyzer.Analyze(frame, options: new AnalysisOptions { FrozenS = 1e9 }).Channels[0];
        var sorted = values.OrderBy(v => v).ToArray();
        double Nearest(double q) => Math.Round(sorted[Math.Max(1, (int)Math.Ceiling(q * sorted.Length - 1e-9)) - 1], 1);
        return c.SmO2.P5 == Nearest(0.05) && c.SmO2.P50 == Nearest(0.5) && c.SmO2.P95 == Nearest(0.95);
    }

    [Property(MaxTest = 15)]
    public bool Weekly_incremental_equals_full_recompute(int seed)
    {
        var rng = new Random(seed);
        var rides = Enumerable.Range(0, 30).Select(i => RandomRide(seed * 31 + i)).ToArray();
        var summaries = RideAnalyzer.AnalyzeBatch(rides, (SensorMap?)null).Select((a, i) => RideSummary.From($"r{i}", a)).ToList();
        var full = JsonSerializer.Serialize(WeeklyTrends.Compute(summaries, Zone));

        // One ride at a time in random order, reading the trends after each ride (as the server does).
        var incremental = new WeeklyAccumulator(Zone);
        foreach (var s in summaries.OrderBy(_ => rng.Next()))
        {
            incremental.Add(s);
            incremental.Result();
        }

        var half = new WeeklyAccumulator(Zone);
        var rest = new WeeklyAccumulator(Zone);
        for (var i = 0; i < summaries.Count; i++) (i % 3 == 0 ? half : rest).Add(summaries[i]);
        half.Result();
        half.Merge(rest);
        return full == JsonSerializer.Serialize(incremental.Result()) && full == JsonSerializer.Serialize(half.Result());
    }
}
