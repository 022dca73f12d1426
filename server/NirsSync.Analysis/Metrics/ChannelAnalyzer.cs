namespace NirsSync.Analysis;

/// <summary>A channel's cleaned signals: SmO2 (%), tHb (g/dL), centred smoothed SmO2; NaN where missing.</summary>
internal sealed class CleanSignal(ChannelInfo info, float[] smo2, float[] thb, float[] smooth, ChannelQuality quality)
{
    public ChannelInfo Info { get; } = info;
    public float[] SmO2 { get; } = smo2;
    public float[] THb { get; } = thb;
    public float[] Smooth { get; } = smooth;
    public ChannelQuality Quality { get; } = quality;
}

/// <summary>Per-thread scratch so a ride's analysis allocates only its results.</summary>
internal sealed class Scratch
{
    [ThreadStatic] private static Scratch? _current;
    public static Scratch Current => _current ??= new Scratch();

    public readonly int[] SmO2Hist = new int[Histogram.SmO2Bins];
    public readonly int[] THbHist = new int[Histogram.THbBins];
    public int[] BandHist = [];
}

/// <summary>Per-channel, per-ride metrics (docs/metrics.md).</summary>
internal static class ChannelAnalyzer
{
    public static CleanSignal Clean(MuscleChannel channel, uint[] ts, int n, AnalysisOptions o, RideTiming timing)
    {
        var smo2 = GC.AllocateUninitializedArray<float>(n);
        var thb = GC.AllocateUninitializedArray<float>(n);
        var quality = SignalCleaner.Clean(ts.AsSpan(0, n), channel.SmO2, channel.THb, smo2, thb, o.FrozenS, timing);
        var smooth = GC.AllocateUninitializedArray<float>(n);
        Smooth(ts, smo2, smooth, n, o.SmoothingWindowS / 2);
        return new CleanSignal(channel.Info, smo2, thb, smooth, quality);
    }

    /// <summary>Centred moving mean over valid samples within ±<paramref name="half"/> s; NaN where the sample is missing.</summary>
    public static void Smooth(uint[] ts, float[] x, float[] y, int n, double half)
    {
        int lo = 0, hi = 0, count = 0;
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            double t = ts[i];
            while (hi < n && ts[hi] <= t + half)
            {
                var v = x[hi];
                if (!float.IsNaN(v)) { sum += v; count++; }
                hi++;
            }
            while (ts[lo] < t - half)
            {
                var v = x[lo];
                if (!float.IsNaN(v)) { sum -= v; count--; }
                lo++;
            }
            y[i] = float.IsNaN(x[i]) || count == 0 ? float.NaN : (float)(sum / count);
        }
    }

    public static ChannelMetrics Compute(CleanSignal s, RideFrame ride, AnalysisOptions o, IReadOnlyList<Effort> efforts)
    {
        var n = ride.Count;
        var ts = ride.Timestamp;
        var scratch = Scratch.Current;
        var interval = s.Quality.SampleIntervalS;
        var (smo2Stats, thbStats, o2hb, hhb) = Levels(s, 0, n, scratch, withMinMax: true);
        var zones = Zones(ts, s.Smooth, n, o, interval);
        var effortList = new List<EffortMetrics>(efforts.Count);
        foreach (var e in efforts) effortList.Add(EffortKinetics.Measure(e, ts, s.SmO2, s.Smooth, n, o));
        var bands = ride.Power is { } p ? PowerBands(p, s.SmO2, n, o.PowerBandEdgesW, interval, scratch) : [];
        var laps = new List<LapChannelMetrics>(ride.Laps.Count);
        for (var li = 0; li < ride.Laps.Count; li++)
        {
            var lap = ride.Laps[li];
            var a = LowerBound(ts, n, lap.Start);
            var b = LowerBound(ts, n, lap.End + 1);
            if (b <= a) continue;
            var (ls, lt, _, _) = Levels(s, a, b, scratch, withMinMax: true);
            var valid = 0;
            for (var i = a; i < b; i++) if (!float.IsNaN(s.SmO2[i])) valid++;
            laps.Add(new LapChannelMetrics(li, lap.Start - (double)ts[0], lap.End - (double)lap.Start, valid, ls, lt));
        }
        return new ChannelMetrics(s.Info, s.Quality, smo2Stats, thbStats, o2hb, hhb, zones, Summarise(effortList),
            effortList, bands, laps);
    }

    internal static int LowerBound(uint[] ts, int n, uint t)
    {
        int lo = 0, hi = n;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ts[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Percentiles, means, smoothed min/max and O2Hb/HHb over rows [a, b).</summary>
    private static (SmO2Stats, THbStats, double?, double?) Levels(CleanSignal s, int a, int b, Scratch scratch, bool withMinMax)
    {
        var sh = scratch.SmO2Hist;
        var th = scratch.THbHist;
        Array.Clear(sh);
        Array.Clear(th);
        var smo2 = s.SmO2;
        var thb = s.THb;
        var sm = s.Smooth;
        int ns = 0, nt = 0, nb = 0;
        double sumS = 0, sumT = 0, sumO2 = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (var i = a; i < b; i++)
        {
            var v = smo2[i];
            var t = thb[i];
            if (!float.IsNaN(v))
            {
                sh[(int)(v * Histogram.SmO2Resolution + 0.5f)]++;
                ns++;
                sumS += v;
                var m = sm[i];
                if (m < min) min = m;
                if (m > max) max = m;
                if (!float.IsNaN(t)) { sumO2 += t * v; nb++; }
            }
            if (!float.IsNaN(t))
            {
                th[(int)(t * Histogram.THbResolution + 0.5f)]++;
                nt++;
                sumT += t;
            }
        }
        var smo2Stats = SmO2Stats.Empty;
        if (ns > 0)
        {
            var (p5, p50, p95) = Histogram.Percentiles(sh, ns, 0.05, 0.5, 0.95);
            double r5 = Round(p5 / 10.0, 1), r50 = Round(p50 / 10.0, 1), r95 = Round(p95 / 10.0, 1);
            smo2Stats = new SmO2Stats(r5, r50, r95, withMinMax ? Round(min, 2) : null, withMinMax ? Round(max, 2) : null,
                Round(sumS / ns, 3), Round(r95 - r5, 1));
        }
        var thbStats = THbStats.Empty;
        if (nt > 0)
        {
            var (p5, p50, p95) = Histogram.Percentiles(th, nt, 0.05, 0.5, 0.95);
            thbStats = new THbStats(Round(p5 / 100.0, 2), Round(p50 / 100.0, 2), Round(p95 / 100.0, 2), Round(sumT / nt, 4));
        }
        double? o2 = null, hhb = null;
        if (nb > 0)
        {
            // O2Hb = tHb x SmO2 / 100 and HHb = tHb - O2Hb, averaged over rows with both.
            double sumTb = 0;
            for (var i = a; i < b; i++)
                if (!float.IsNaN(smo2[i]) && !float.IsNaN(thb[i])) sumTb += thb[i];
            o2 = Round(sumO2 / 100 / nb, 4);
            hhb = Round((sumTb - sumO2 / 100) / nb, 4);
        }
        return (smo2Stats, thbStats, o2, hhb);
    }

    internal static double Round(double v, int digits) => Math.Round(v, digits, MidpointRounding.AwayFromZero);

    /// <summary>Time in slope zones: slope = (smooth[hi] - smooth[lo]) / (t[hi] - t[lo]) over the centred slope window, %/min.</summary>
    private static SlopeZones Zones(uint[] ts, float[] sm, int n, AnalysisOptions o, double interval)
    {
        var half = o.SlopeWindowS / 2;
        int lo = 0, hi = 0;
        long rising = 0, flat = 0, falling = 0, freefall = 0;
        for (var i = 0; i < n; i++)
        {
            double t = ts[i];
            while (hi + 1 < n && ts[hi + 1] <= t + half) hi++;
            while (ts[lo] < t - half) lo++;
            if (float.IsNaN(sm[i]) || hi <= lo) continue;
            float a = sm[lo], b = sm[hi];
            if (float.IsNaN(a) || float.IsNaN(b)) continue;
            var slope = (b - a) * 60.0 / (ts[hi] - ts[lo]);
            if (slope >= o.RisingSlope) rising++;
            else if (slope <= o.FreefallSlope) freefall++;
            else if (slope <= o.FallingSlope) falling++;
            else flat++;
        }
        return new SlopeZones(rising * interval, flat * interval, falling * interval, freefall * interval);
    }

    private static PowerBandStat[] PowerBands(float[] power, float[] smo2, int n, IReadOnlyList<double> edges, double interval,
        Scratch scratch)
    {
        var k = edges.Count + 1;
        if (scratch.BandHist.Length < k * Histogram.SmO2Bins) scratch.BandHist = new int[k * Histogram.SmO2Bins];
        var hist = scratch.BandHist.AsSpan(0, k * Histogram.SmO2Bins);
        hist.Clear();
        Span<float> e = stackalloc float[edges.Count];
        for (var j = 0; j < e.Length; j++) e[j] = (float)edges[j];
        Span<long> seconds = stackalloc long[k];
        Span<long> counts = stackalloc long[k];
        Span<double> sums = stackalloc double[k];
        seconds.Clear(); counts.Clear(); sums.Clear();
        for (var i = 0; i < n; i++)
        {
            var p = power[i];
            if (float.IsNaN(p)) continue;
            var band = 0;
            while (band < e.Length && p >= e[band]) band++;
            seconds[band]++;
            var v = smo2[i];
            if (float.IsNaN(v)) continue;
            counts[band]++;
            sums[band] += v;
            hist[band * Histogram.SmO2Bins + (int)(v * Histogram.SmO2Resolution + 0.5f)]++;
        }
        var result = new PowerBandStat[k];
        for (var b = 0; b < k; b++)
        {
            double? mean = null, p50 = null;
            if (counts[b] > 0)
            {
                mean = Round(sums[b] / counts[b], 3);
                p50 = Round(Histogram.Percentiles(hist.Slice(b * Histogram.SmO2Bins, Histogram.SmO2Bins), counts[b], 0.5, 0.5, 0.5).B / 10.0, 1);
            }
            result[b] = new PowerBandStat(b == 0 ? 0 : edges[b - 1], b < edges.Count ? edges[b] : null, seconds[b] * interval, mean, p50);
        }
        return result;
    }

    private static EffortSummary Summarise(List<EffortMetrics> efforts)
    {
        if (efforts.Count == 0) return EffortSummary.Empty;
        return new EffortSummary(efforts.Count, Mean(efforts, e => e.DesaturationDepth), Mean(efforts, e => e.DesaturationRate),
            Mean(efforts, e => e.ReoxygenationHalfTimeS), Mean(efforts, e => e.Overshoot));
    }

    private static double? Mean(List<EffortMetrics> efforts, Func<EffortMetrics, double?> f)
    {
        double sum = 0;
        var count = 0;
        foreach (var e in efforts) if (f(e) is { } v) { sum += v; count++; }
        return count == 0 ? null : Round(sum / count, 3);
    }
}
