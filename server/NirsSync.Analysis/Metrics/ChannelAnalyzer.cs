namespace NirsSync.Analysis;

/// <summary>A channel's cleaned signals: SmO2 (%), tHb (g/dL); NaN where missing. Arrays may be longer than the ride.</summary>
internal sealed class CleanSignal(ChannelInfo info, float[] smo2, float[] thb, ChannelQuality quality, bool pooled)
{
    public ChannelInfo Info { get; } = info;
    public float[] SmO2 { get; } = smo2;
    public float[] THb { get; } = thb;
    public ChannelQuality Quality { get; } = quality;

    /// <summary>True when the arrays are rented and go back to the pool after the analysis.</summary>
    public bool Pooled { get; } = pooled;
}

/// <summary>Per-thread scratch so a ride's analysis allocates only its results.</summary>
internal sealed class Scratch
{
    [ThreadStatic] private static Scratch? _current;
    public static Scratch Current => _current ??= new Scratch();

    // One extra bin past the grid collects missing values while counting.
    public readonly int[] SmO2Hist = new int[Histogram.SmO2Bins + 1];
    public readonly int[] THbHist = new int[Histogram.THbBins + 1];
    public readonly int[] LapSmO2Hist = new int[Histogram.SmO2Bins + 1];
    public readonly int[] LapTHbHist = new int[Histogram.THbBins + 1];
    private int[] _bins = new int[4096];
    private LapLevels[] _lapLevels = new LapLevels[16];

    /// <summary>Room for the levels of <paramref name="n"/> laps (reused by the next channel on this thread).</summary>
    public LapLevels[] LapLevels(int n)
    {
        if (_lapLevels.Length < n) _lapLevels = new LapLevels[Math.Max(n, 2 * _lapLevels.Length)];
        return _lapLevels;
    }

    public Span<int> Bins(int n)
    {
        if (_bins.Length < n) _bins = new int[Math.Max(n, 2 * _bins.Length)];
        return _bins.AsSpan(0, n);
    }
}

/// <summary>Per-channel, per-ride metrics (docs/metrics.md).</summary>
internal static partial class ChannelAnalyzer
{
    public static CleanSignal Clean(MuscleChannel channel, uint[] ts, int n, AnalysisOptions o, RideTiming timing)
    {
        var pooled = !o.KeepSeries;
        var smo2 = pooled ? System.Buffers.ArrayPool<float>.Shared.Rent(n) : GC.AllocateUninitializedArray<float>(n);
        var thb = pooled ? System.Buffers.ArrayPool<float>.Shared.Rent(n) : GC.AllocateUninitializedArray<float>(n);
        var quality = SignalCleaner.Clean(ts.AsSpan(0, n), channel.SmO2, channel.THb, smo2, thb, o.FrozenS, timing);
        return new CleanSignal(channel.Info, smo2, thb, quality, pooled);
    }

    /// <summary>Centred moving mean over valid samples within ±<paramref name="half"/> s; NaN where the sample is missing.</summary>
    public static void Smooth(uint[] ts, float[] x, float[] y, int n, double half, bool regular)
    {
        if (n > 0 && regular)
        {
            var rows = (int)Math.Min(n, Math.Floor(half));
            if (!VectorKernels.SmoothNarrow(x.AsSpan(0, n), y.AsSpan(0, n), rows)) SmoothRegular(x, y, n, rows);
            return;
        }
        // Timestamps are whole seconds: t_j <= t_i + half  <=>  t_j <= t_i + h, and
        // t_j < t_i - half  <=>  t_j + h < t_i, with h = floor(half).
        var h = (long)Math.Floor(half);
        int lo = 0, hi = 0, count = 0;
        double sum = 0;
        var t = ts.AsSpan(0, n);
        var xs = x.AsSpan(0, n);
        var ys = y.AsSpan(0, n);
        for (var i = 0; i < t.Length; i++)
        {
            long ti = t[i];
            while (hi < t.Length && t[hi] <= ti + h)
            {
                var v = xs[hi];
                if (!float.IsNaN(v)) { sum += v; count++; }
                hi++;
            }
            while (t[lo] + h < ti)
            {
                var v = xs[lo];
                if (!float.IsNaN(v)) { sum -= v; count--; }
                lo++;
            }
            var xi = xs[i];
            ys[i] = float.IsNaN(xi) || count == 0 ? float.NaN : (float)(sum / count);
        }
    }

    /// <summary>
    /// The same on rows one second apart: the window is rows [i - h, i + h]. The window sum is kept as
    /// two independent running totals (values entered, values left) so neither waits on the other.
    /// </summary>
    private static void SmoothRegular(float[] x, float[] y, int n, int h)
    {
        var xs = x.AsSpan(0, n);
        var ys = y.AsSpan(0, n);
        Span<double> reciprocal = stackalloc double[Math.Min(2 * h + 2, 1024)];
        var exact = 2 * h + 2 <= reciprocal.Length;
        for (var c = 1; c < reciprocal.Length; c++) reciprocal[c] = 1.0 / c;
        double entered = 0, left = 0;
        int inCount = 0, outCount = 0;
        for (var j = 0; j < Math.Min(h, n); j++)
            if (!float.IsNaN(xs[j])) { entered += xs[j]; inCount++; }
        for (var i = 0; i < xs.Length; i++)
        {
            var enter = i + h;
            if (enter < xs.Length && !float.IsNaN(xs[enter])) { entered += xs[enter]; inCount++; }
            var leave = i - h - 1;
            if (leave >= 0 && !float.IsNaN(xs[leave])) { left += xs[leave]; outCount++; }
            var count = inCount - outCount;
            ys[i] = float.IsNaN(xs[i]) || count == 0 ? float.NaN
                : (float)((entered - left) * (exact ? reciprocal[count] : 1.0 / count));
        }
    }

    public static ChannelMetrics Compute(CleanSignal s, RideFrame ride, AnalysisOptions o, Effort[] efforts, RideTiming timing,
        PowerBandIndex? powerBands, LapRanges laps)
    {
        var n = ride.Count;
        var smooth = System.Buffers.ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        try
        {
            Smooth(ride.Timestamp, s.SmO2, smooth, n, o.SmoothingWindowS / 2, timing.Regular);
            return Compute(s, smooth, ride, o, efforts, timing.Regular, powerBands, laps);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(smooth);
        }
    }

    private static ChannelMetrics Compute(CleanSignal s, float[] smooth, RideFrame ride, AnalysisOptions o, Effort[] efforts,
        bool regular, PowerBandIndex? powerBands, LapRanges laps)
    {
        var n = ride.Count;
        var ts = ride.Timestamp;
        var interval = s.Quality.SampleIntervalS;
        var scratch = Scratch.Current;
        var lapLevels = scratch.LapLevels(laps.Count);
        var (smo2Stats, thbStats, o2hb, hhb) = RideAndLaps(s, smooth, n, laps, scratch, lapLevels);
        // Zones of each lap; the ride's are the laps' and the rows between them when laps follow one another.
        Span<ZoneRows> lapZones = laps.Count <= 64 ? stackalloc ZoneRows[laps.Count] : new ZoneRows[laps.Count];
        ZoneRows rideZones = default;
        var zoneCursor = 0;
        for (var i = 0; i < laps.Count; i++)
        {
            lapZones[i] = Zones(ts, smooth, n, o, regular, laps.A[i], laps.B[i]);
            if (!laps.Ordered) continue;
            rideZones += Zones(ts, smooth, n, o, regular, zoneCursor, laps.A[i]) + lapZones[i];
            zoneCursor = laps.B[i];
        }
        rideZones = laps.Ordered ? rideZones + Zones(ts, smooth, n, o, regular, zoneCursor, n) : Zones(ts, smooth, n, o, regular, 0, n);
        var zones = rideZones.Times(interval);
        var effortList = new EffortMetrics[efforts.Length];
        for (var e = 0; e < efforts.Length; e++)
            effortList[e] = EffortKinetics.Measure(efforts[e], ts, s.SmO2, smooth, n, o, regular, e + 1 < efforts.Length ? efforts[e + 1].Start : n);
        var lapBands = new PowerBandStat[laps.Count][];
        var bands = powerBands is null ? [] : PowerBands(powerBands, s.SmO2, n, laps, interval, lapBands);
        var lapMetrics = new LapChannelMetrics[laps.Count];
        var t0 = n == 0 ? 0 : (double)ts[0];
        var effortLaps = laps.EffortLaps;
        // The efforts of one lap, gathered for their summary.
        Span<EffortMetrics> lapScratch = efforts.Length <= 64 ? stackalloc EffortMetrics[efforts.Length] : new EffortMetrics[efforts.Length];
        for (var i = 0; i < laps.Count; i++)
        {
            var lap = ride.Laps[laps.Lap[i]];
            var inLap = 0;
            foreach (var l in effortLaps) if (l == i) inLap++;
            int[] lapEfforts = [];
            var summary = EffortSummary.Empty;
            if (inLap > 0)
            {
                lapEfforts = new int[inLap];
                var metrics = lapScratch[..inLap];
                var k = 0;
                for (var e = 0; e < efforts.Length; e++)
                    if (effortLaps[e] == i)
                    {
                        lapEfforts[k] = efforts[e].Index;
                        metrics[k++] = effortList[e];
                    }
                summary = Summarise(metrics);
            }
            var levels = lapLevels[i];
            lapMetrics[i] = new LapChannelMetrics(laps.Lap[i], lap.Start - t0, lap.End - (double)lap.Start, levels.ValidSamples,
                levels.SmO2, levels.THb, levels.O2Hb, levels.HHb, lapZones[i].Times(interval),
                lapEfforts, summary, lapBands[i] ?? []);
        }
        return new ChannelMetrics(s.Info, s.Quality, smo2Stats, thbStats, o2hb, hhb, zones, Summarise(effortList),
            effortList, bands, lapMetrics);
    }

    /// <summary>First row at or after time <paramref name="t"/> (n when none); on regular rows by subtraction.</summary>
    internal static int LowerBound(uint[] ts, int n, uint t, bool regular)
    {
        if (regular) return n == 0 || t <= ts[0] ? 0 : (int)Math.Min(n, (long)t - ts[0]);
        int lo = 0, hi = n;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ts[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    internal static double Round(double v, int digits) => Math.Round(v, digits, MidpointRounding.AwayFromZero);

    private static EffortSummary Summarise(ReadOnlySpan<EffortMetrics> efforts)
    {
        if (efforts.Length == 0) return EffortSummary.Empty;
        var cut = 0;
        foreach (var e in efforts) if (e.RecoveryCut) cut++;
        return new EffortSummary(efforts.Length, Mean(efforts, e => e.Depth), Mean(efforts, e => e.DesaturationRate),
            Mean(efforts, e => e.HalfTimeFromEndS), Mean(efforts, e => e.OvershootFromEnd))
        {
            MeanResponseTimeS = Mean(efforts, e => e.MeanResponseTimeS),
            RecoveriesCut = cut,
        };
    }

    private static double? Mean(ReadOnlySpan<EffortMetrics> efforts, Func<EffortMetrics, double?> f)
    {
        double sum = 0;
        var count = 0;
        foreach (var e in efforts) if (f(e) is { } v) { sum += v; count++; }
        return count == 0 ? null : Round(sum / count, 3);
    }
}
