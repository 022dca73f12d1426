namespace NirsSync.Analysis;

/// <summary>A pair of channels a coach wants compared: muscle/side A against muscle/side B.</summary>
public sealed record PairDefinition(Muscle MuscleA, Side SideA, Muscle MuscleB, Side SideB, string Name = "coach");

/// <summary>Analysis settings; every default is documented in docs/metrics.md.</summary>
public sealed record AnalysisOptions
{
    public static readonly AnalysisOptions Default = new();

    /// <summary>Width of the centred smoothing window, seconds (min/max and slopes use the smoothed signal).</summary>
    public double SmoothingWindowS { get; init; } = 5;

    /// <summary>Width of the centred window over which the SmO2 slope is taken, seconds.</summary>
    public double SlopeWindowS { get; init; } = 10;

    /// <summary>Slope at or above this is "rising", %/min.</summary>
    public double RisingSlope { get; init; } = 3;

    /// <summary>Slope at or below this is "falling", %/min (between falling and rising is "flat").</summary>
    public double FallingSlope { get; init; } = -3;

    /// <summary>Slope at or below this is "freefall", %/min.</summary>
    public double FreefallSlope { get; init; } = -30;

    /// <summary>A run of identical SmO2 (and tHb) values lasting this long is frozen; all but its first sample are missing.</summary>
    public double FrozenS { get; init; } = 30;

    /// <summary>Effort threshold in W; null = 1.2 x the ride's mean non-zero power.</summary>
    public double? EffortPowerW { get; init; }

    /// <summary>Shortest effort, seconds.</summary>
    public double MinEffortS { get; init; } = 20;

    /// <summary>Dips below the threshold shorter than this do not end an effort, seconds.</summary>
    public double EffortBridgeS { get; init; } = 5;

    /// <summary>Pre-effort baseline window, seconds.</summary>
    public double BaselineS { get; init; } = 30;

    /// <summary>First seconds of an effort left out of the desaturation-rate regression.</summary>
    public double DesaturationSkipS { get; init; } = 5;

    /// <summary>A: the last seconds of work averaged as the level recovery starts from (mnirs response_time baseline).</summary>
    public double WorkBaselineS { get; init; } = 30;

    /// <summary>Width of the moving mean whose lowest value is an effort's robust low, seconds.</summary>
    public double LowWindowS { get; init; } = 10;

    /// <summary>
    /// Efforts given by the caller (seconds from the ride's first record, <see cref="RideAnalysis.Start"/>); when set they replace power, laps
    /// and SmO2 detection (an empty list means: no efforts).
    /// </summary>
    public IReadOnlyList<EffortInterval>? GivenEfforts { get; init; }

    /// <summary>Without power, laps whose SmO2 falls at least <see cref="MinDesaturation"/> are efforts.</summary>
    public bool EffortsFromLaps { get; init; } = true;

    /// <summary>Without power or lap efforts, desaturation events of the SmO2 signal are efforts.</summary>
    public bool EffortsFromSmO2 { get; init; } = true;

    /// <summary>Smallest SmO2 fall (points) that makes a lap, or a desaturation event, an effort.</summary>
    public double MinDesaturation { get; init; } = 5;

    /// <summary>Recovery window after an effort in which the reoxygenation peak is sought, seconds.</summary>
    public double RecoveryS { get; init; } = 120;

    /// <summary>Upper edges of the power bands, W (the last band is open).</summary>
    public IReadOnlyList<double> PowerBandEdgesW { get; init; } = [100, 150, 200, 250, 300, 350, 400];

    /// <summary>Centred moving-average window removed before harmony correlation (detrending), seconds.</summary>
    public double DetrendWindowS { get; init; } = 60;

    /// <summary>Largest lag searched in harmony cross-correlation, seconds.</summary>
    public double MaxLagS { get; init; } = 10;

    /// <summary>Extra pairs a coach defines.</summary>
    public IReadOnlyList<PairDefinition> CoachPairs { get; init; } = [];

    /// <summary>
    /// Keep the cleaned signals in the result for <see cref="RideAnalysis.Series"/>. Turn off for large
    /// batches that need only the metrics: the signals then go back to a pool.
    /// </summary>
    public bool KeepSeries { get; init; } = true;

    /// <summary>
    /// A gap between records longer than this, seconds (default 7 days), splits a recording into parts, and only the
    /// part with the most records is the ride: the others are stamped by a wrong clock (a record of 2085 before the
    /// damage of a 2021 file; the first minutes of a device that set its clock 20 days later). No one pauses a ride for
    /// a week, so real pauses (overnight in a multi-day event) never reach it. <see cref="RideAnalysis.RowsLeftOut"/>
    /// counts the records left out.
    /// </summary>
    public double MaxRecordGapS { get; init; } = 7 * 86_400;

    /// <summary>Largest degree of parallelism for batches; null = all cores.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
