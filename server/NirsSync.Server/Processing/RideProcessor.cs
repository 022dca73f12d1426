using NirsSync.Fit;

namespace NirsSync.Server.Processing;

/// <summary>Turns an upload's bytes into a ride: timing, power and the analysis of every muscle-oxygen channel.</summary>
public sealed class RideProcessor
{
    public static readonly DateTimeOffset FitEpoch = new(1989, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public RideContent Process(byte[] bytes, string sensorMapJson)
    {
        FitRide ride;
        try
        {
            ride = FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient);
        }
        catch (FitFormatException e)
        {
            throw new RideRejectedException($"unreadable FIT file: {e.Message}");
        }
        var records = ride.Records;
        if (records.Count == 0) throw new RideRejectedException("the FIT file holds no record messages");
        var first = records.Timestamp[0];
        var offsets = new double[records.Count];
        var power = new double[records.Count];
        double powerSum = 0;
        var powerCount = 0;
        for (var i = 0; i < records.Count; i++)
        {
            offsets[i] = (double)records.Timestamp[i] - first;
            var p = records.Power[i];
            power[i] = p;
            if (!float.IsNaN(p)) { powerSum += p; powerCount++; }
        }
        var duration = Math.Max(0, offsets[^1]);
        var step = RideSeries.StepFor(duration);
        var buckets = (int)(duration / step) + 1;
        var series = new RideSeries(step, Downsampler.BucketStarts(step, buckets),
            Downsampler.Means(offsets, power, step, buckets), []);
        return new RideContent(FitEpoch.AddSeconds(first), duration, records.Count,
            powerCount == 0 ? null : Math.Round(powerSum / powerCount, 1), "[]", "[]", "[]", series,
            ride.Damage is { } d ? $"damaged FIT file: {d}" : null);
    }
}
