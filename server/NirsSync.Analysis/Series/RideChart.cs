namespace NirsSync.Analysis;

/// <summary>One channel's chart values, aligned with <see cref="RideChart.Seconds"/>: bucket means, null where a bucket had no valid sample.</summary>
public sealed record ChannelChart(string ChannelId, double?[] SmO2, double?[] THb);

/// <summary>
/// A ride's chart series: buckets of <see cref="StepSeconds"/> from the earliest record, power and every
/// channel on the same time axis, in time order.
/// </summary>
public sealed record RideChart(int StepSeconds, int[] Seconds, double?[] Power, IReadOnlyList<ChannelChart> Channels)
{
    /// <summary>Most buckets a chart holds; a one-hour ride at 1 Hz becomes 6 s buckets.</summary>
    public const int MaxPoints = 600;

    /// <summary>The bucket width that keeps a ride of <paramref name="durationSeconds"/> within <see cref="MaxPoints"/>.</summary>
    public static int StepFor(double durationSeconds) =>
        Math.Max(1, (int)Math.Ceiling((Math.Max(0, durationSeconds) + 1) / MaxPoints));
}

/// <summary>
/// The one downsampler: means per time bucket of rows in time order, ignoring missing values (NaN).
/// Used for power, SmO2 and tHb alike, so every series of a ride shares one time axis.
/// </summary>
public static class Downsampler
{
    /// <summary>
    /// Bucket of every row: floor((timestamp - first) / step), for timestamps that never decrease. Rows past
    /// <paramref name="buckets"/> get -1.
    /// </summary>
    public static int[] BucketOf(ReadOnlySpan<uint> timestamps, double step, int buckets)
    {
        if (!(step > 0)) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be positive seconds");
        var result = new int[timestamps.Length];
        if (timestamps.Length == 0) return result;
        var t0 = timestamps[0];
        for (var i = 0; i < timestamps.Length; i++)
        {
            if (timestamps[i] < t0) throw new ArgumentException($"row {i} is earlier than row 0: timestamps must be in time order", nameof(timestamps));
            var b = Math.Floor((timestamps[i] - t0) / step);
            result[i] = b < buckets ? (int)b : -1;
        }
        return result;
    }

    /// <summary>Mean of the valid <paramref name="values"/> per bucket (rounded to <paramref name="digits"/>), null where a bucket has none.</summary>
    public static double?[] Means(ReadOnlySpan<int> bucketOf, ReadOnlySpan<float> values, int buckets, int digits)
    {
        var sums = new double[buckets];
        var counts = new int[buckets];
        var n = Math.Min(bucketOf.Length, values.Length);
        for (var i = 0; i < n; i++)
        {
            var v = values[i];
            var b = bucketOf[i];
            if (float.IsNaN(v) || b < 0) continue;
            sums[b] += v;
            counts[b]++;
        }
        var result = new double?[buckets];
        for (var b = 0; b < buckets; b++)
            result[b] = counts[b] == 0 ? null : ChannelAnalyzer.Round(sums[b] / counts[b], digits);
        return result;
    }

    /// <summary>Rows per bucket.</summary>
    public static int[] Rows(ReadOnlySpan<int> bucketOf, int buckets)
    {
        var counts = new int[buckets];
        foreach (var b in bucketOf)
            if (b >= 0) counts[b]++;
        return counts;
    }
}
