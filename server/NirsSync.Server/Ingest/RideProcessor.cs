using NirsSync.Analysis;
using NirsSync.Fit;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Ingest;

/// <summary>
/// Turns an upload's bytes into a ride: decode (one columnar pass) → identify (the athlete's sensor map)
/// → analyse (metrics, pairs with the coach's pairs, duration, average power, chart series: all from
/// the analysis core) → the document to store and the summary values the weekly trends need.
/// </summary>
public sealed class RideProcessor
{
    public RideContent Process(byte[] bytes, string sensorMapJson, string coachPairsJson, Guid rideId)
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
        var summary = RideSummary.From(rideId.ToString(), analysis);
        return new RideContent(analysis.Start!.Value, analysis.DurationS, analysis.Rows, analysis.AveragePowerW,
            RideDocuments.Of(analysis), ride.Damage is { } d ? $"damaged FIT file: {d}" : null,
            RideDocuments.WriteSummary(summary.Values));
    }

    /// <summary>The analysis settings with the coach's pairs of the athlete; the defaults when there are none.</summary>
    public static AnalysisOptions OptionsFor(IReadOnlyList<Data.Documents.CoachPairEntry> pairs) => pairs.Count == 0
        ? AnalysisOptions.Default
        : AnalysisOptions.Default with { CoachPairs = Data.Documents.CoachPairs.ToDefinitions(pairs) };

    /// <summary>The analysis core's form of the athlete's map; null when the map is empty.</summary>
    public static Analysis.SensorMap? ToAnalysisMap(IReadOnlyList<SensorMapEntry> entries) => Data.Documents.SensorMap.ToAnalysisMap(entries);
}
