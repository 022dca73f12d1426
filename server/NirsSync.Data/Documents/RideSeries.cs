namespace NirsSync.Data.Documents;

/// <summary>One muscle-oxygen channel's downsampled values, aligned with <see cref="RideSeries.Seconds"/>.</summary>
public sealed record ChannelSeries(string Key, string Muscle, string Side, string Label, double?[] Smo2, double?[] Thb);

/// <summary>A ride's downsampled series: bucket starts in seconds from the ride start, power and every channel.</summary>
public sealed record RideSeries(int StepSeconds, int[] Seconds, double?[] Power, IReadOnlyList<ChannelSeries> Channels)
{
    /// <summary>Most points a stored series holds; a one-hour ride at 1 Hz becomes 6 s buckets.</summary>
    public const int MaxPoints = 600;

    public static int StepFor(double durationSeconds) =>
        Math.Max(1, (int)Math.Ceiling((durationSeconds + 1) / MaxPoints));
}

/// <summary>Bucket means over time, ignoring missing values (NaN).</summary>
public static class Downsampler
{
    /// <summary>Means of <paramref name="values"/> per bucket of <paramref name="step"/> seconds; null where a bucket has none.</summary>
    public static double?[] Means(ReadOnlySpan<double> offsets, ReadOnlySpan<double> values, int step, int buckets)
    {
        var sums = new double[buckets];
        var counts = new int[buckets];
        for (var i = 0; i < offsets.Length && i < values.Length; i++)
        {
            var v = values[i];
            if (double.IsNaN(v) || offsets[i] < 0) continue;
            var b = (int)(offsets[i] / step);
            if (b >= buckets) continue;
            sums[b] += v;
            counts[b]++;
        }
        var result = new double?[buckets];
        for (var b = 0; b < buckets; b++)
            result[b] = counts[b] == 0 ? null : Math.Round(sums[b] / counts[b], 2);
        return result;
    }

    public static int[] BucketStarts(int step, int buckets)
    {
        var starts = new int[buckets];
        for (var b = 0; b < buckets; b++) starts[b] = b * step;
        return starts;
    }
}
