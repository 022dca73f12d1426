namespace NirsSync.Analysis;

/// <summary>Data quality of one channel after cleaning.</summary>
/// <param name="Samples">Record rows.</param>
/// <param name="ValidSmO2">Rows with a valid SmO2 after cleaning.</param>
/// <param name="ValidTHb">Rows with a valid tHb after cleaning.</param>
/// <param name="ValidFraction">Valid SmO2 rows / rows (tHb for a channel without SmO2).</param>
/// <param name="Zeros">Rows whose SmO2 or tHb was exactly 0 (missing, never a minimum).</param>
/// <param name="OutOfRange">Rows outside 0-100 % or 0-40 g/dL, special values included.</param>
/// <param name="FrozenSamples">Rows removed as a frozen (flat-lined) run.</param>
/// <param name="Dropouts">Runs of missing rows between valid rows.</param>
/// <param name="SampleIntervalS">Median time between rows, seconds.</param>
/// <param name="Gaps">Time steps longer than twice the sample interval.</param>
/// <param name="LongestGapS">Longest time step, seconds.</param>
public readonly record struct ChannelQuality(int Samples, int ValidSmO2, int ValidTHb, double ValidFraction, int Zeros,
    int OutOfRange, int FrozenSamples, int Dropouts, double SampleIntervalS, int Gaps, double LongestGapS);

/// <summary>SmO2 statistics, %. Min and Max are of the centred smoothed signal; FunctionalRange = P95 - P5.</summary>
public readonly record struct SmO2Stats(double? P5, double? P50, double? P95, double? Min, double? Max, double? Mean,
    double? FunctionalRange)
{
    public static readonly SmO2Stats Empty = new(null, null, null, null, null, null, null);
}

/// <summary>Total hemoglobin statistics, g/dL.</summary>
public readonly record struct THbStats(double? P5, double? P50, double? P95, double? Mean)
{
    public static readonly THbStats Empty = new(null, null, null, null);
}

/// <summary>Seconds spent in each SmO2 slope zone (smoothed signal, centred slope window).</summary>
public readonly record struct SlopeZones(double RisingS, double FlatS, double FallingS, double FreefallS);

/// <summary>SmO2 while power was in [FromW, ToW) (ToW null: open band): seconds with power in the band and mean valid SmO2.</summary>
public readonly record struct PowerBandStat(double FromW, double? ToW, double Seconds, double? SmO2Mean);

/// <summary>
/// Kinetics of one effort found from power. Times in seconds from the ride start; SmO2 in %;
/// rate in %/min (negative while desaturating).
/// </summary>
/// <remarks>
/// The positional values are those of earlier versions: <see cref="Nadir"/> is the smoothed minimum,
/// <see cref="DesaturationDepth"/> = baseline - nadir and <see cref="ReoxygenationHalfTimeS"/> is timed from the nadir.
/// The literature's measures (timed from the end of the work, a robust low) are the init properties
/// <see cref="Depth"/>, <see cref="HalfTimeFromEndS"/> and <see cref="MeanResponseTimeS"/>; summaries and trends use those.
/// <see cref="DesaturationRate"/> is the least-squares slope from start + DesaturationSkipS to the effort's end.
/// </remarks>
public readonly record struct EffortMetrics(int Index, double StartS, double DurationS, double MeanPowerW, double? Baseline,
    double? Nadir, double? NadirS, double? DesaturationDepth, double? DesaturationRate, double? Peak,
    double? ReoxygenationHalfTimeS, double? Overshoot)
{
    /// <summary>Where the effort came from.</summary>
    public EffortSource Source { get; init; }

    /// <summary>A: mean valid SmO2 over the last <c>WorkBaselineS</c> of the work, %.</summary>
    public double? WorkLevel { get; init; }

    /// <summary>Robust low: the lowest <c>LowWindowS</c> mean of SmO2 from start + skip to 15 s after the end, %.</summary>
    public double? Low { get; init; }

    /// <summary>Pre-effort baseline - robust low, % points.</summary>
    public double? Depth { get; init; }

    /// <summary>B: the peak of the smoothed signal in the recovery window (null when the recovery was cut), %.</summary>
    public double? RecoveryPeak { get; init; }

    /// <summary>Seconds from the end of the work to the first smoothed sample at A + (B - A) / 2.</summary>
    public double? HalfTimeFromEndS { get; init; }

    /// <summary>Seconds from the end of the work to the first smoothed sample at A + 0.632 (B - A) (mean response time).</summary>
    public double? MeanResponseTimeS { get; init; }

    /// <summary>B - pre-effort baseline, % points.</summary>
    public double? OvershootFromEnd { get; init; }

    /// <summary>True when the next effort (or the recording's end) came while SmO2 was still rising: no recovery values.</summary>
    public bool RecoveryCut { get; init; }
}

/// <summary>Where an effort came from: power, laps, intervals given by the caller, or the SmO2 signal itself.</summary>
public enum EffortSource : byte
{
    Power,
    Lap,
    Given,
    SmO2,
}

/// <summary>An effort given by the caller: seconds from the ride's first record (<see cref="RideAnalysis.Start"/>), [StartS, EndS).</summary>
public readonly record struct EffortInterval(double StartS, double EndS);

/// <summary>Means over the efforts that had the value.</summary>
/// <remarks>
/// Depth is the mean of <see cref="EffortMetrics.Depth"/> (baseline - robust low); half-time and overshoot are means of
/// the values timed from the end of the work, over the efforts whose recovery was not cut.
/// </remarks>
public readonly record struct EffortSummary(int Count, double? DesaturationDepth, double? DesaturationRate,
    double? ReoxygenationHalfTimeS, double? Overshoot)
{
    public static readonly EffortSummary Empty = new(0, null, null, null, null);

    /// <summary>Mean of the efforts' mean response times (63 %), seconds.</summary>
    public double? MeanResponseTimeS { get; init; }

    /// <summary>Efforts whose recovery the next effort cut (left out of the recovery means).</summary>
    public int RecoveriesCut { get; init; }
}

/// <summary>
/// One channel within one lap: the ride's level statistics, O2Hb/HHb, slope zones (each row's slope window may
/// reach past the lap), the efforts that start in the lap with their summary, and SmO2 by the power bands the
/// lap has rows in.
/// </summary>
public sealed record LapChannelMetrics(int Lap, double StartS, double DurationS, int ValidSamples, SmO2Stats SmO2,
    THbStats THb, double? O2HbMean, double? HHbMean, SlopeZones SlopeZones, IReadOnlyList<int> Efforts,
    EffortSummary EffortSummary, IReadOnlyList<PowerBandStat> PowerBands);

/// <summary>Everything NirsSync computes for one channel (one muscle) in one ride.</summary>
public sealed record ChannelMetrics(
    ChannelInfo Channel,
    ChannelQuality Quality,
    SmO2Stats SmO2,
    THbStats THb,
    double? O2HbMean,
    double? HHbMean,
    SlopeZones SlopeZones,
    EffortSummary EffortSummary,
    IReadOnlyList<EffortMetrics> Efforts,
    IReadOnlyList<PowerBandStat> PowerBands,
    IReadOnlyList<LapChannelMetrics> Laps);
