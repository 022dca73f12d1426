using System.Text.Json.Serialization;
using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>An effort as the ride sees it (seconds from the ride start); MeanPowerW is 0 when the ride has no power.</summary>
public readonly record struct EffortInfo(int Index, double StartS, double DurationS, double MeanPowerW)
{
    /// <summary>Where the effort came from (power, lap, given, smo2).</summary>
    public EffortSource Source { get; init; }
}

/// <summary>One point of a downsampled series: seconds from the ride start, bucket means (null when the bucket had no valid sample).</summary>
public readonly record struct SeriesPoint(double TimeS, double? SmO2, double? THb);

/// <summary>The analysis of one ride: its channels with their metrics, the pairs, the efforts.</summary>
public sealed record RideAnalysis(
    DateTimeOffset? Start,
    double DurationS,
    int Rows,
    bool HasPower,
    IReadOnlyList<ChannelMetrics> Channels,
    IReadOnlyList<PairMetrics> Pairs,
    IReadOnlyList<EffortInfo> Efforts)
{
    [JsonIgnore] internal uint[] Timestamps { get; init; } = [];
    [JsonIgnore] internal float[]? Power { get; init; }
    [JsonIgnore] internal IReadOnlyList<CleanSignal> Signals { get; init; } = [];

    /// <summary>Mean of the valid power values in W (0.1 W), null when the ride has none.</summary>
    public double? AveragePowerW { get; init; }

    /// <summary>
    /// Records left out because a gap of more than <see cref="AnalysisOptions.MaxRecordGapS"/> parts them from the
    /// ride's main part (a wrong clock); 0 for nearly every ride. <see cref="Rows"/>, <see cref="Start"/> and
    /// <see cref="DurationS"/> are those of the records kept.
    /// </summary>
    public int RowsLeftOut { get; init; }

    /// <summary>The longer of the gaps just before and just after the ride's records, seconds; 0 when nothing was left out.</summary>
    public double LeftOutGapS { get; init; }

    /// <summary>A sentence for the ride's warning when records were left out, else null.</summary>
    [JsonIgnore]
    public string? LeftOutWarning => RowsLeftOut == 0 ? null
        : $"{RowsLeftOut} record(s) stamped {GapText(LeftOutGapS)} apart from the rest of the ride were left out (a wrong clock)";

    private static string GapText(double seconds) => seconds switch
    {
        >= 2 * 365.25 * 86_400 => $"{Math.Floor(seconds / (365.25 * 86_400)):0} years",
        >= 2 * 86_400 => $"{Math.Floor(seconds / 86_400):0} days",
        _ => $"{Math.Floor(seconds / 3600):0} hours",
    };

    /// <summary>
    /// The cleaned SmO2 and tHb of channel <paramref name="channelId"/> averaged in buckets of
    /// <paramref name="bucketS"/> seconds from the earliest record: one point per bucket that has rows.
    /// </summary>
    public IReadOnlyList<SeriesPoint> Series(string channelId, double bucketS = 10)
    {
        if (!(bucketS > 0)) throw new ArgumentOutOfRangeException(nameof(bucketS), bucketS, "bucket must be positive seconds");
        var s = Signal(channelId);
        var ts = Timestamps;
        if (ts.Length == 0) return [];
        var buckets = (int)Math.Floor((ts[^1] - (double)ts[0]) / bucketS) + 1;
        var bucketOf = Downsampler.BucketOf(ts, bucketS, buckets);
        var rows = Downsampler.Rows(bucketOf, buckets);
        var smo2 = Downsampler.Means(bucketOf, s.SmO2.AsSpan(0, ts.Length), buckets, 2);
        var thb = Downsampler.Means(bucketOf, s.THb.AsSpan(0, ts.Length), buckets, 3);
        var points = new List<SeriesPoint>();
        for (var b = 0; b < buckets; b++)
            if (rows[b] > 0) points.Add(new SeriesPoint(b * bucketS, smo2[b], thb[b]));
        return points;
    }

    /// <summary>
    /// The chart series of the ride: power and every channel's SmO2 and tHb in buckets of
    /// <paramref name="stepSeconds"/> (default <see cref="RideChart.StepFor"/> of the duration) from the
    /// earliest record, on one time axis.
    /// </summary>
    public RideChart Chart(int? stepSeconds = null)
    {
        var step = stepSeconds ?? RideChart.StepFor(DurationS);
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(stepSeconds), step, "step must be at least one second");
        var buckets = (int)(DurationS / step) + 1;
        var ts = Timestamps;
        var bucketOf = Downsampler.BucketOf(ts, step, buckets);
        var power = Power is { } p ? Downsampler.Means(bucketOf, p.AsSpan(0, ts.Length), buckets, 2) : new double?[buckets];
        var channels = new ChannelChart[Channels.Count];
        for (var c = 0; c < channels.Length; c++)
        {
            var s = Signal(Channels[c].Channel.Id);
            channels[c] = new ChannelChart(s.Info.Id, Downsampler.Means(bucketOf, s.SmO2.AsSpan(0, ts.Length), buckets, 2),
                Downsampler.Means(bucketOf, s.THb.AsSpan(0, ts.Length), buckets, 3));
        }
        var seconds = new int[buckets];
        for (var b = 0; b < buckets; b++) seconds[b] = b * step;
        return new RideChart(step, seconds, power, channels);
    }

    private CleanSignal Signal(string channelId)
    {
        if (Signals.Count == 0 && Channels.Count > 0)
            throw new InvalidOperationException("this ride was analysed with KeepSeries = false, so it holds no series");
        return Signals.FirstOrDefault(x => x.Info.Id == channelId)
            ?? throw new ArgumentException($"no channel '{channelId}' in this ride", nameof(channelId));
    }
}

/// <summary>The analysis entry points.</summary>
public static class RideAnalyzer
{
    /// <summary>Analyses a ride read by the columnar reader.</summary>
    public static RideAnalysis Analyze(FitRide ride, SensorMap? athleteMap = null, AnalysisOptions? options = null) =>
        Analyze(RideFrame.FromFitRide(ride), athleteMap, options);

    /// <summary>Analyses a ride decoded with the message API.</summary>
    public static RideAnalysis Analyze(FitFile file, SensorMap? athleteMap = null, AnalysisOptions? options = null) =>
        Analyze(RideFrame.FromFitFile(file), athleteMap, options);

    /// <summary>Analyses a ride in columnar form.</summary>
    public static RideAnalysis Analyze(RideFrame ride, SensorMap? athleteMap = null, AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ride);
        var o = options ?? AnalysisOptions.Default;
        Validate(o);
        // Devices jump back in time (clock corrections, chained sessions): analyse rows in time order.
        var timing = RideTiming.Of(ride.Timestamp.AsSpan(0, ride.Count));
        if (!timing.Regular && !ride.IsInTimeOrder)
        {
            ride = ride.InTimeOrder();
            timing = RideTiming.Of(ride.Timestamp.AsSpan(0, ride.Count));
        }
        var (leftOut, leftOutGap) = (0, 0.0);
        if (timing.LongestGapS > o.MaxRecordGapS)
        {
            (ride, leftOut, leftOutGap) = ride.MainPart(o.MaxRecordGapS);
            timing = RideTiming.Of(ride.Timestamp.AsSpan(0, ride.Count));
        }
        var n = ride.Count;
        var channels = ChannelDiscovery.Discover(ride, athleteMap);
        var signals = new CleanSignal[channels.Count];
        var metrics = new ChannelMetrics[channels.Count];
        for (var c = 0; c < channels.Count; c++) signals[c] = ChannelAnalyzer.Clean(channels[c], ride.Timestamp, n, o, timing);
        var efforts = FindEfforts(ride, o, timing.Regular, signals);
        var laps = new LapRanges(ride, n, timing.Regular, efforts);
        using (var powerBands = ride.Power is { } power && channels.Count > 0 ? PowerBandIndex.Build(power.AsSpan(0, n), o.PowerBandEdgesW, laps) : null)
        {
            for (var c = 0; c < channels.Count; c++)
                metrics[c] = ChannelAnalyzer.Compute(signals[c], ride, o, efforts, timing, powerBands, laps);
        }
        var pairs = PairAnalyzer.Analyze(signals, metrics, ride, efforts, o, timing);
        if (!o.KeepSeries)
            foreach (var s in signals)
            {
                System.Buffers.ArrayPool<float>.Shared.Return(s.SmO2);
                System.Buffers.ArrayPool<float>.Shared.Return(s.THb);
            }
        var duration = n == 0 ? 0 : ride.Timestamp[n - 1] - (double)ride.Timestamp[0];
        var t0 = n == 0 ? 0 : ride.Timestamp[0];
        return new RideAnalysis(ride.Start, duration, n, ride.Power is not null, metrics, pairs,
            Array.ConvertAll(efforts, e => new EffortInfo(e.Index, e.StartTime - (double)t0, e.EndTime - (double)e.StartTime, e.MeanPowerW) { Source = e.Source }))
        {
            Timestamps = ride.Timestamp.Length == n ? ride.Timestamp : ride.Timestamp[..n],
            Power = ride.Power,
            AveragePowerW = ride.Power is { } pw ? MeanPower(pw.AsSpan(0, n)) : null,
            Signals = o.KeepSeries ? signals : [],
            RowsLeftOut = leftOut,
            LeftOutGapS = leftOutGap,
        };
    }

    /// <summary>
    /// The ride's efforts: the intervals given in the options; else from power; without power, laps whose SmO2
    /// falls; without those, desaturation events of the SmO2 signal.
    /// </summary>
    private static Effort[] FindEfforts(RideFrame ride, AnalysisOptions o, bool regular, CleanSignal[] signals)
    {
        if (o.GivenEfforts is { } given) return EffortSources.Given(ride, given, regular);
        if (ride.Power is not null || signals.Length == 0 || ride.Count == 0) return EffortFinder.Find(ride, o, regular);
        if (!o.EffortsFromLaps && !o.EffortsFromSmO2) return [];
        var mean = EffortSources.MeanSignal(signals, ride.Count);
        try
        {
            var fromLaps = o.EffortsFromLaps && ride.Laps.Count >= 2 ? EffortSources.FromLaps(ride, mean, o, regular) : [];
            if (fromLaps.Length > 0 || !o.EffortsFromSmO2) return fromLaps;
            return EffortSources.FromSmO2(ride, mean, o, regular);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(mean);
        }
    }

    /// <summary>
    /// Analyses a batch across cores. Results are in input order and equal to analysing each ride alone.
    /// <paramref name="athleteMaps"/> gives each ride's map (same length as <paramref name="rides"/>) or is null.
    /// </summary>
    public static RideAnalysis[] AnalyzeBatch(IReadOnlyList<RideFrame> rides, IReadOnlyList<SensorMap?>? athleteMaps = null,
        AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rides);
        if (athleteMaps is not null && athleteMaps.Count != rides.Count)
            throw new ArgumentException($"{athleteMaps.Count} sensor maps for {rides.Count} rides", nameof(athleteMaps));
        var o = options ?? AnalysisOptions.Default;
        var results = new RideAnalysis[rides.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        Parallel.For(0, rides.Count, parallel, i => results[i] = Analyze(rides[i], athleteMaps?[i], o));
        return results;
    }

    /// <summary>Analyses a batch with one sensor map for every ride (one athlete).</summary>
    public static RideAnalysis[] AnalyzeBatch(IReadOnlyList<RideFrame> rides, SensorMap? athleteMap, AnalysisOptions? options = null) =>
        AnalyzeBatch(rides, athleteMap is null ? null : Enumerable.Repeat<SensorMap?>(athleteMap, rides.Count).ToArray(), options);

    /// <summary>Mean of the valid (non-NaN) power values, 0.1 W; null when none is valid.</summary>
    private static double? MeanPower(ReadOnlySpan<float> power)
    {
        double sum = 0;
        var count = 0;
        foreach (var p in power)
            if (!float.IsNaN(p)) { sum += p; count++; }
        return count == 0 ? null : Math.Round(sum / count, 1);
    }

    private static void Validate(AnalysisOptions o)
    {
        if (!(o.SmoothingWindowS >= 0)) throw new ArgumentException($"SmoothingWindowS must be >= 0, was {o.SmoothingWindowS}");
        if (!(o.SlopeWindowS > 0)) throw new ArgumentException($"SlopeWindowS must be > 0, was {o.SlopeWindowS}");
        if (!(o.FrozenS > 0)) throw new ArgumentException($"FrozenS must be > 0, was {o.FrozenS}");
        if (!(o.FreefallSlope <= o.FallingSlope && o.FallingSlope < o.RisingSlope))
            throw new ArgumentException("slope thresholds must satisfy FreefallSlope <= FallingSlope < RisingSlope");
        for (var i = 1; i < o.PowerBandEdgesW.Count; i++)
            if (!(o.PowerBandEdgesW[i] > o.PowerBandEdgesW[i - 1]))
                throw new ArgumentException("PowerBandEdgesW must be strictly increasing");
        if (!(o.MaxRecordGapS > 0)) throw new ArgumentException($"MaxRecordGapS must be > 0, was {o.MaxRecordGapS}");
        if (o.MaxLagS < 0) throw new ArgumentException($"MaxLagS must be >= 0, was {o.MaxLagS}");
        if (!(o.WorkBaselineS > 0)) throw new ArgumentException($"WorkBaselineS must be > 0, was {o.WorkBaselineS}");
        if (!(o.LowWindowS >= 0)) throw new ArgumentException($"LowWindowS must be >= 0, was {o.LowWindowS}");
        if (!(o.MinDesaturation > 0)) throw new ArgumentException($"MinDesaturation must be > 0, was {o.MinDesaturation}");
    }
}
