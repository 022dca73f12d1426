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
        for (var e = 0; e < efforts.Length; e++) effortList[e] = EffortKinetics.Measure(efforts[e], ts, s.SmO2, smooth, n, o, regular);
        var lapBands = new PowerBandStat[laps.Count][];
        var bands = powerBands is null ? [] : PowerBands(powerBands, s.SmO2, n, laps, interval, lapBands);
        var lapMetrics = new LapChannelMetrics[laps.Count];
        var t0 = n == 0 ? 0 : (double)ts[0];
        var effortLaps = laps.LapsOf(efforts);
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

    /// <summary>Rows in each slope zone; <see cref="Times"/> turns them into seconds.</summary>
    internal readonly record struct ZoneRows(long Rising, long Flat, long Falling, long Freefall)
    {
        public static ZoneRows operator +(ZoneRows a, ZoneRows b) =>
            new(a.Rising + b.Rising, a.Flat + b.Flat, a.Falling + b.Falling, a.Freefall + b.Freefall);

        public SlopeZones Times(double interval) => new(Rising * interval, Flat * interval, Falling * interval, Freefall * interval);
    }

    /// <summary>
    /// Slope zones of rows [<paramref name="from"/>, <paramref name="to"/>): slope = (smooth[hi] - smooth[lo]) /
    /// (t[hi] - t[lo]) over the centred slope window (which may reach past the range), %/min.
    /// </summary>
    internal static ZoneRows Zones(uint[] ts, float[] sm, int n, AnalysisOptions o, bool regular, int from, int to)
    {
        var half = o.SlopeWindowS / 2;
        long rising = 0, flat = 0, falling = 0, freefall = 0;
        if (from >= to) return default;
        if (regular)
        {
            // Rows one second apart: the window is rows [i - h, i + h], so dt = 2h away from the ends.
            var h = (int)Math.Min(n, Math.Floor(half));
            var x = sm.AsSpan(0, n);
            double r = o.RisingSlope / 60, ff = o.FreefallSlope / 60, fa = o.FallingSlope / 60;
            // Rows with the whole window inside the ride: dt = 2h, thresholds scaled once, counted by SIMD.
            int inner0 = Math.Max(from, h), inner1 = Math.Min(to, n - h);
            if (h > 0 && inner1 > inner0)
            {
                var z = VectorKernels.Zones(x.Slice(inner0 - h, inner1 - inner0 + 2 * h), h, (float)(r * 2 * h), (float)(fa * 2 * h),
                    (float)(ff * 2 * h));
                rising += z.Rising; flat += z.Flat; falling += z.Falling; freefall += z.Freefall;
            }
            else inner0 = inner1 = from;
            for (var i = from; i < to; i++)
            {
                if (i >= inner0 && i < inner1) { i = inner1 - 1; continue; }
                int a0 = Math.Max(0, i - h), b0 = Math.Min(x.Length - 1, i + h);
                if (b0 <= a0 || float.IsNaN(x[i])) continue;
                float a = x[a0], b = x[b0];
                if (float.IsNaN(a) || float.IsNaN(b)) continue;
                double rise = b - a;
                double dt = b0 - a0;
                if (rise >= r * dt) rising++;
                else if (rise <= ff * dt) freefall++;
                else if (rise <= fa * dt) falling++;
                else flat++;
            }
            return new ZoneRows(rising, flat, falling, freefall);
        }
        // Window pointers: lo = first row at or after t - half, hi = last row at or before t + half.
        int lo = LowerBound(ts, n, (uint)Math.Max(0, Math.Ceiling(ts[from] - half)), false), hi = lo;
        for (var i = from; i < to; i++)
        {
            double t = ts[i];
            if (hi < i) hi = i;
            while (hi + 1 < n && ts[hi + 1] <= t + half) hi++;
            while (ts[lo] < t - half) lo++;
            if (float.IsNaN(sm[i]) || hi <= lo) continue;
            float a = sm[lo], b = sm[hi];
            if (float.IsNaN(a) || float.IsNaN(b)) continue;
            // slope = (b - a) 60 / dt compared without dividing: slope >= x  <=>  (b - a) 60 >= x dt (dt > 0).
            var rise = (b - a) * 60.0;
            double dt = ts[hi] - ts[lo];
            if (rise >= o.RisingSlope * dt) rising++;
            else if (rise <= o.FreefallSlope * dt) freefall++;
            else if (rise <= o.FallingSlope * dt) falling++;
            else flat++;
        }
        return new ZoneRows(rising, flat, falling, freefall);
    }

    /// <summary>
    /// SmO2 by power band for the ride and (into <paramref name="lapBands"/>) each lap, the lap lists holding the
    /// bands it has rows in. Laps that follow one another are summed once and added up with the rows between
    /// them for the ride; overlapping laps are summed on their own.
    /// </summary>
    internal static PowerBandStat[] PowerBands(PowerBandIndex index, float[] smo2, int n, LapRanges laps, double interval,
        PowerBandStat[][] lapBands)
    {
        var m = index.Bands + 1;
        Span<int> counts = stackalloc int[m];
        Span<double> sums = stackalloc double[m];
        Span<int> rideCounts = stackalloc int[m];
        Span<double> rideSums = stackalloc double[m];
        rideCounts.Clear();
        rideSums.Clear();
        var cursor = 0;
        for (var i = 0; i < laps.Count; i++)
        {
            index.ValidByBand(smo2, laps.A[i], laps.B[i], counts, sums);
            lapBands[i] = BandStats(index.Edges, index.RowsInLap(laps, i), counts, sums, interval, occupiedOnly: true);
            if (!laps.Ordered) continue;
            if (cursor < laps.A[i]) AddRange(index, smo2, cursor, laps.A[i], rideCounts, rideSums);
            Add(counts, sums, rideCounts, rideSums);
            cursor = laps.B[i];
        }
        if (!laps.Ordered) cursor = 0;
        if (cursor < n) AddRange(index, smo2, cursor, n, rideCounts, rideSums);
        Span<int> rideRows = stackalloc int[m];
        for (var b = 0; b < index.Bands; b++) rideRows[b] = index.Rows(b);
        return BandStats(index.Edges, rideRows, rideCounts, rideSums, interval, occupiedOnly: false);

        static void AddRange(PowerBandIndex index, float[] x, int from, int to, Span<int> c, Span<double> s)
        {
            Span<int> counts = stackalloc int[c.Length];
            Span<double> sums = stackalloc double[c.Length];
            index.ValidByBand(x, from, to, counts, sums);
            Add(counts, sums, c, s);
        }

        static void Add(ReadOnlySpan<int> counts, ReadOnlySpan<double> sums, Span<int> c, Span<double> s)
        {
            for (var b = 0; b < c.Length; b++)
            {
                c[b] += counts[b];
                s[b] += sums[b];
            }
        }
    }

    private static PowerBandStat[] BandStats(IReadOnlyList<double> edges, ReadOnlySpan<int> rows, ReadOnlySpan<int> counts,
        ReadOnlySpan<double> sums, double interval, bool occupiedOnly)
    {
        var k = edges.Count + 1;
        var listed = 0;
        for (var b = 0; b < k; b++) if (!occupiedOnly || rows[b] > 0) listed++;
        var result = new PowerBandStat[listed];
        var j = 0;
        for (var b = 0; b < k; b++)
        {
            if (occupiedOnly && rows[b] == 0) continue;
            result[j++] = new PowerBandStat(b == 0 ? 0 : edges[b - 1], b < edges.Count ? edges[b] : null, rows[b] * interval,
                counts[b] > 0 ? Round(sums[b] / counts[b], 3) : null);
        }
        return result;
    }

    private static EffortSummary Summarise(ReadOnlySpan<EffortMetrics> efforts)
    {
        if (efforts.Length == 0) return EffortSummary.Empty;
        return new EffortSummary(efforts.Length, Mean(efforts, e => e.DesaturationDepth), Mean(efforts, e => e.DesaturationRate),
            Mean(efforts, e => e.ReoxygenationHalfTimeS), Mean(efforts, e => e.Overshoot));
    }

    private static double? Mean(ReadOnlySpan<EffortMetrics> efforts, Func<EffortMetrics, double?> f)
    {
        double sum = 0;
        var count = 0;
        foreach (var e in efforts) if (f(e) is { } v) { sum += v; count++; }
        return count == 0 ? null : Round(sum / count, 3);
    }
}
