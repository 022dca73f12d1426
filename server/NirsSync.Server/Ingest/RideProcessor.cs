using System.Text.Json;
using NirsSync.Analysis;
using NirsSync.Fit;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Ingest;

/// <summary>
/// Turns an upload's bytes into a ride: one columnar decode, then the analysis core (channel discovery
/// with the athlete's sensor map, per-muscle metrics, per-pair metrics including the coach's pairs), the
/// downsampled series and the summary values the weekly trends need.
/// </summary>
public class RideProcessor
{
    public static readonly DateTimeOffset FitEpoch = new(1989, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Virtual so that tests can inject faults (transient failures, crashes) at the point where ingest does its work.</summary>
    public virtual RideContent Process(byte[] bytes, string sensorMapJson, string coachPairsJson, Guid rideId)
    {
        var (frame, warning) = Decode(bytes);
        return Process(frame, warning, sensorMapJson, coachPairsJson, rideId);
    }

    /// <summary>A FIT upload as analysis input, with the warning a damaged file gets.</summary>
    /// <exception cref="RideRejectedException">Unreadable, or no record messages.</exception>
    public static (RideFrame Frame, string? Warning) Decode(byte[] bytes)
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
        if (ride.Records.Count == 0) throw new RideRejectedException("the FIT file holds no record messages");
        return (RideFrame.FromFitRide(ride), ride.Damage is { } d ? $"damaged FIT file: {d}" : null);
    }

    /// <summary>Analyses a ride given as analysis input (a FIT file's, an export's, or a FIT ride with exports joined).</summary>
    public RideContent Process(RideFrame frame, string? warning, string sensorMapJson, string coachPairsJson, Guid rideId)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Count == 0) throw new RideRejectedException("the ride holds no records");
        RideAnalysis analysis;
        try
        {
            analysis = RideAnalyzer.Analyze(frame, ToAnalysisMap(Data.Documents.SensorMap.Parse(sensorMapJson)),
                OptionsFor(Data.Documents.CoachPairs.Parse(coachPairsJson)));
        }
        catch (ArgumentException e)
        {
            throw new RideRejectedException($"the ride cannot be analyzed: {e.Message}");
        }
        var count = frame.Count;
        var first = frame.Timestamp[0];
        var duration = Math.Max(0, (double)frame.Timestamp[count - 1] - first);
        var step = RideSeries.StepFor(duration);
        var buckets = (int)(duration / step) + 1;
        var offsets = new double[count];
        var power = new double[count];
        double powerSum = 0;
        var powerCount = 0;
        for (var i = 0; i < count; i++)
        {
            offsets[i] = (double)frame.Timestamp[i] - first;
            var p = frame.Power is { } watts ? watts[i] : float.NaN;
            power[i] = p;
            if (!float.IsNaN(p)) { powerSum += p; powerCount++; }
        }
        var channels = analysis.Channels.Select(c => ChannelSeriesOf(analysis, c.Channel, step, buckets)).ToList();
        var series = new RideSeries(step, Downsampler.BucketStarts(step, buckets),
            Downsampler.Means(offsets, power, step, buckets), channels);
        var summary = RideSummary.From(rideId.ToString(), analysis);
        return new RideContent(analysis.Start ?? FitEpoch.AddSeconds(first), duration, count,
            powerCount == 0 ? null : Math.Round(powerSum / powerCount, 1),
            JsonSerializer.Serialize(analysis.Channels.Select(c => c.Channel), AnalysisJson.Options),
            JsonSerializer.Serialize(analysis.Channels, AnalysisJson.Options),
            JsonSerializer.Serialize(analysis.Pairs, AnalysisJson.Options), series,
            warning,
            JsonSerializer.Serialize(summary.Values, AnalysisJson.Options),
            AssessmentOf(frame));
    }

    /// <summary>
    /// The resting spot check of a ride recorded in the data field's assessment mode (docs/fit-fields.md); null for
    /// every other ride, found without building a second frame unless the file declares the assessment fields.
    /// </summary>
    private static RestAssessment? AssessmentOf(RideFrame frame) =>
        frame.Columns.Any(c => !c.IsNative && c.FieldNumber == DataFieldContract.AssessmentSiteField && c.Description?.Name == "asmt_site")
            ? RestingAssessment.Find(frame)
            : null;

    private static ChannelSeries ChannelSeriesOf(RideAnalysis analysis, ChannelInfo channel, int step, int buckets)
    {
        var smo2 = new double?[buckets];
        var thb = new double?[buckets];
        foreach (var point in analysis.Series(channel.Id, step))
        {
            var b = (int)Math.Round(point.TimeS / step);
            if (b < 0 || b >= buckets) continue;
            smo2[b] = point.SmO2;
            thb[b] = point.THb;
        }
        return new ChannelSeries(channel.Id, Muscles.Name(channel.Muscle), Muscles.Name(channel.Side), Label(channel), smo2, thb);
    }

    /// <summary>"vastus lateralis (left)" when the muscle is known, else the channel's own label.</summary>
    private static string Label(ChannelInfo c) => c.Muscle != Muscle.Unknown
        ? $"{Muscles.Name(c.Muscle).Replace('_', ' ')}{(c.Side == Side.Unknown ? "" : $" ({Muscles.Name(c.Side)})")}"
        : c.Label;

    /// <summary>The analysis settings with the coach's pairs of the athlete; the defaults when there are none.</summary>
    public static AnalysisOptions OptionsFor(IReadOnlyList<Data.Documents.CoachPairEntry> pairs) => pairs.Count == 0
        ? AnalysisOptions.Default
        : AnalysisOptions.Default with { CoachPairs = Data.Documents.CoachPairs.ToDefinitions(pairs) };

    /// <summary>The analysis core's form of the athlete's map; null when the map is empty.</summary>
    public static Analysis.SensorMap? ToAnalysisMap(IReadOnlyList<SensorMapEntry> entries) => Data.Documents.SensorMap.ToAnalysisMap(entries);
}
