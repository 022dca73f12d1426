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
        RideAnalysis analysis;
        try
        {
            analysis = RideAnalyzer.Analyze(ride, ToAnalysisMap(Data.Documents.SensorMap.Parse(sensorMapJson)),
                OptionsFor(Data.Documents.CoachPairs.Parse(coachPairsJson)));
        }
        catch (ArgumentException e)
        {
            throw new RideRejectedException($"the ride cannot be analyzed: {e.Message}");
        }
        var first = records.Timestamp[0];
        var duration = Math.Max(0, (double)records.Timestamp[records.Count - 1] - first);
        var step = RideSeries.StepFor(duration);
        var buckets = (int)(duration / step) + 1;
        var offsets = new double[records.Count];
        var power = new double[records.Count];
        double powerSum = 0;
        var powerCount = 0;
        for (var i = 0; i < records.Count; i++)
        {
            offsets[i] = (double)records.Timestamp[i] - first;
            power[i] = records.Power[i];
            if (!float.IsNaN(records.Power[i])) { powerSum += records.Power[i]; powerCount++; }
        }
        var channels = analysis.Channels.Select(c => ChannelSeriesOf(analysis, c.Channel, step, buckets)).ToList();
        var series = new RideSeries(step, Downsampler.BucketStarts(step, buckets),
            Downsampler.Means(offsets, power, step, buckets), channels);
        var summary = RideSummary.From(rideId.ToString(), analysis);
        return new RideContent(analysis.Start ?? FitEpoch.AddSeconds(first), duration, records.Count,
            powerCount == 0 ? null : Math.Round(powerSum / powerCount, 1),
            JsonSerializer.Serialize(analysis.Channels.Select(c => c.Channel), AnalysisJson.Options),
            JsonSerializer.Serialize(analysis.Channels, AnalysisJson.Options),
            JsonSerializer.Serialize(analysis.Pairs, AnalysisJson.Options), series,
            ride.Damage is { } d ? $"damaged FIT file: {d}" : null,
            JsonSerializer.Serialize(summary.Values, AnalysisJson.Options),
            AssessmentOf(ride));
    }

    /// <summary>
    /// The resting spot check of a ride recorded in the data field's assessment mode (docs/fit-fields.md); null for
    /// every other ride, found without building a second frame unless the file declares the assessment fields.
    /// </summary>
    private static RestAssessment? AssessmentOf(FitRide ride) =>
        ride.FieldDescriptions.Any(d => d.FieldDefinitionNumber == DataFieldContract.AssessmentSiteField && d.Name == "asmt_site")
            ? RestingAssessment.Find(RideFrame.FromFitRide(ride))
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
