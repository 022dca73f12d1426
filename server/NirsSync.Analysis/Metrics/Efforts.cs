namespace NirsSync.Analysis;

/// <summary>An effort found from power: rows [Start, End) and its times (FIT seconds).</summary>
internal readonly record struct Effort(int Index, int Start, int End, uint StartTime, uint EndTime, double MeanPowerW);

/// <summary>
/// Efforts: runs where power is at or above the threshold (default 1.2 x mean non-zero power), dips
/// shorter than the bridge not ending them, lasting at least the minimum effort time.
/// </summary>
internal static class EffortFinder
{
    public static Effort[] Find(RideFrame ride, AnalysisOptions o, bool regular)
    {
        if (ride.Power is not { } power || ride.Count == 0) return [];
        var n = ride.Count;
        var ts = ride.Timestamp;
        double threshold;
        if (o.EffortPowerW is { } w) threshold = w;
        else
        {
            var (sum, count) = VectorKernels.PositiveSum(power.AsSpan(0, n));
            if (count == 0) return [];
            threshold = 1.2 * sum / count;
        }
        var efforts = new List<Effort>();
        if (regular && o.EffortBridgeS >= 1) FindRegular(power.AsSpan(0, n), threshold);
        else
        {
            var start = -1;
            var lastAbove = -1;
            for (var i = 0; i <= n; i++)
            {
                var above = i < n && power[i] >= threshold;
                if (above)
                {
                    if (start < 0) start = i;
                    else if (ts[i] - ts[lastAbove] > o.EffortBridgeS) { Close(start, lastAbove); start = i; }
                    lastAbove = i;
                }
                else if (start >= 0 && (i == n || ts[i] - ts[lastAbove] > o.EffortBridgeS))
                {
                    Close(start, lastAbove);
                    start = -1;
                }
            }
        }
        return [.. efforts];

        // Rows one second apart, so neighbouring rows above never break an effort: runs of rows above are
        // found by SIMD, and a run continues the effort unless the time from its last row to the next row
        // above exceeds the bridge (the same as checking every row below in between, times only grow).
        void FindRegular(ReadOnlySpan<float> rows, double threshold)
        {
            // The smallest float at or above the threshold: for float power, p >= threshold <=> p >= at.
            var at = (float)threshold;
            if (at < threshold) at = MathF.BitIncrement(at);
            var start = VectorKernels.NextAtLeast(rows, 0, at);
            while (start < n)
            {
                var lastAbove = VectorKernels.NextBelow(rows, start, at) - 1;
                while (true)
                {
                    var next = VectorKernels.NextAtLeast(rows, lastAbove + 1, at);
                    if (next == n || ts[next] - ts[lastAbove] > o.EffortBridgeS)
                    {
                        Close(start, lastAbove);
                        start = next;
                        break;
                    }
                    lastAbove = VectorKernels.NextBelow(rows, next, at) - 1;
                }
            }
        }

        void Close(int a, int last)
        {
            if (ts[last] - ts[a] + 1 < o.MinEffortS) return;
            double sum = 0;
            var count = 0;
            for (var i = a; i <= last; i++) if (!float.IsNaN(power[i])) { sum += power[i]; count++; }
            efforts.Add(new Effort(efforts.Count, a, last + 1, ts[a], ts[last] + 1, count == 0 ? 0 : ChannelAnalyzer.Round(sum / count, 1)));
        }
    }
}

/// <summary>SmO2 kinetics of one effort (facts file section 5; formulas in docs/metrics.md).</summary>
internal static class EffortKinetics
{
    /// <summary>The nadir is sought until this long after the effort ends (SmO2 lags power), seconds.</summary>
    private const double NadirLagS = 15;

    public static EffortMetrics Measure(Effort e, uint[] ts, float[] smo2, float[] sm, int n, AnalysisOptions o, bool regular)
    {
        double t0 = ts[0];
        // Baseline: mean valid SmO2 in [start - BaselineS, start).
        var b0 = ChannelAnalyzer.LowerBound(ts, n, (uint)Math.Max(0, e.StartTime - o.BaselineS), regular);
        double? baseline = MeanValid(smo2, b0, e.Start);

        // Nadir: minimum of the smoothed signal from the start until NadirLagS after the end.
        var nadirEnd = ChannelAnalyzer.LowerBound(ts, n, (uint)(e.EndTime + NadirLagS), regular);
        // First row of the smallest valid smoothed value.
        var nadirRow = FirstAt(VectorKernels.IndexOfFirstMin(sm.AsSpan(e.Start, Math.Max(0, nadirEnd - e.Start))), e.Start);
        if (nadirRow < 0)
            return new EffortMetrics(e.Index, e.StartTime - t0, e.EndTime - (double)e.StartTime, e.MeanPowerW, Rd(baseline),
                null, null, null, null, null, null, null);
        double nadir = sm[nadirRow];

        // Desaturation rate: least-squares slope of SmO2 against time from start + skip to the nadir (or end).
        var r0 = ChannelAnalyzer.LowerBound(ts, n, (uint)(e.StartTime + o.DesaturationSkipS), regular);
        var r1 = Math.Min(nadirRow + 1, e.End);
        double? rate = regular ? VectorKernels.SlopeOnSeconds(smo2.AsSpan(r0, Math.Max(0, r1 - r0))) : Slope(ts, smo2, r0, r1);

        // Reoxygenation: peak of the smoothed signal after the nadir within the recovery window; half-time is
        // the time from the nadir until the signal first reaches nadir + (peak - nadir) / 2.
        var recEnd = ChannelAnalyzer.LowerBound(ts, n, (uint)(e.EndTime + o.RecoveryS), regular);
        // First row of the largest valid smoothed value after the nadir.
        var peakRow = FirstAt(VectorKernels.IndexOfFirstMax(sm.AsSpan(nadirRow + 1, Math.Max(0, recEnd - nadirRow - 1))), nadirRow + 1);
        double? peak = null, half = null, overshoot = null;
        if (peakRow >= 0 && sm[peakRow] > nadir)
        {
            peak = sm[peakRow];
            var target = nadir + (peak.Value - nadir) / 2;
            for (var i = nadirRow + 1; i <= peakRow; i++)
                if (!float.IsNaN(sm[i]) && sm[i] >= target) { half = ts[i] - (double)ts[nadirRow]; break; }
            if (baseline is { } bl) overshoot = peak - bl;
        }
        return new EffortMetrics(e.Index, e.StartTime - t0, e.EndTime - (double)e.StartTime, e.MeanPowerW, Rd(baseline),
            Rd(nadir), ts[nadirRow] - t0, baseline is { } b ? Rd(b - nadir) : null, rate is { } r ? Rd(r) : null, Rd(peak),
            half, Rd(overshoot));
    }

    private static int FirstAt(int index, int offset) => index < 0 ? -1 : index + offset;

    private static double? Rd(double? v) => v is { } x ? ChannelAnalyzer.Round(x, 3) : null;

    private static double? MeanValid(float[] x, int a, int b)
    {
        if (b <= a) return null;
        var (sum, count) = VectorKernels.ValidSum(x.AsSpan(a, b - a));
        return count == 0 ? null : sum / count;
    }

    /// <summary>Least-squares slope of x against time over rows [a, b), %/min; null with fewer than 5 valid points.</summary>
    internal static double? Slope(uint[] ts, float[] x, int a, int b)
    {
        double st = 0, sx = 0, stt = 0, stx = 0;
        var count = 0;
        if (a >= b) return null;
        double t0 = ts[a];
        for (var i = a; i < b; i++)
        {
            if (float.IsNaN(x[i])) continue;
            var t = ts[i] - t0;
            st += t; sx += x[i]; stt += t * t; stx += t * x[i];
            count++;
        }
        if (count < 5) return null;
        var den = count * stt - st * st;
        return den <= 0 ? null : (count * stx - st * sx) / den * 60;
    }
}
