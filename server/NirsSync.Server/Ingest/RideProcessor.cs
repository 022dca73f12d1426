using NirsSync.Analysis;
using NirsSync.Fit;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Ingest;

/// <summary>
/// Turns an upload's bytes into a ride: decode (one columnar pass) → identify (the athlete's sensor map)
/// → analyse (metrics, pairs with the coach's pairs, duration, average power, chart series: all from
/// the analysis core) → the document to store and the summary values the weekly trends need.
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

    /// <summary>As <see cref="Process(byte[], string, string, Guid)"/> with the efforts given for the ride (null: found automatically).</summary>
    public RideContent Process(byte[] bytes, string sensorMapJson, string coachPairsJson, Guid rideId,
        IReadOnlyList<EffortInterval>? givenEfforts)
    {
        if (givenEfforts is null) return Process(bytes, sensorMapJson, coachPairsJson, rideId);
        var (frame, warning) = Decode(bytes);
        return Process(frame, warning, sensorMapJson, coachPairsJson, rideId, givenEfforts);
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
    /// <remarks>Virtual so that tests can inject faults here too (the join of sensor exports analyses a merged frame).</remarks>
    public virtual RideContent Process(RideFrame frame, string? warning, string sensorMapJson, string coachPairsJson, Guid rideId,
        IReadOnlyList<EffortInterval>? givenEfforts = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Count == 0) throw new RideRejectedException("the ride holds no records");
        RideAnalysis analysis;
        try
        {
            analysis = RideAnalyzer.Analyze(frame, ToAnalysisMap(Data.Documents.SensorMap.Parse(sensorMapJson)),
                OptionsFor(Data.Documents.CoachPairs.Parse(coachPairsJson)) with { GivenEfforts = givenEfforts });
        }
        catch (ArgumentException e)
        {
            throw new RideRejectedException($"the ride cannot be analyzed: {e.Message}");
        }
        // A wrong clock's records are left out by the analysis; the ride says so beside any damage of the file.
        if (analysis.LeftOutWarning is { } leftOut) warning = warning is null ? leftOut : $"{warning}; {leftOut}";
        var summary = RideSummary.From(rideId.ToString(), analysis);
        return new RideContent(analysis.Start ?? FitEpoch.AddSeconds(frame.Timestamp.Min()), analysis.DurationS, analysis.Rows,
            analysis.AveragePowerW, RideDocuments.Of(analysis), warning, RideDocuments.WriteSummary(summary.Values),
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

    /// <summary>The analysis settings with the coach's pairs of the athlete; the defaults when there are none.</summary>
    public static AnalysisOptions OptionsFor(IReadOnlyList<Data.Documents.CoachPairEntry> pairs) => pairs.Count == 0
        ? AnalysisOptions.Default
        : AnalysisOptions.Default with { CoachPairs = Data.Documents.CoachPairs.ToDefinitions(pairs) };

    /// <summary>The analysis core's form of the athlete's map; null when the map is empty.</summary>
    public static Analysis.SensorMap? ToAnalysisMap(IReadOnlyList<SensorMapEntry> entries) => Data.Documents.SensorMap.ToAnalysisMap(entries);
}
