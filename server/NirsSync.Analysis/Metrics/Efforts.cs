namespace NirsSync.Analysis;

/// <summary>An effort: rows [Start, End), its times (FIT seconds; EndTime is when the work stopped) and where it came from.</summary>
internal readonly record struct Effort(int Index, int Start, int End, uint StartTime, uint EndTime, double MeanPowerW,
    EffortSource Source = EffortSource.Power);

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
    /// <summary>The nadir and the robust low are sought until this long after the effort ends (SmO2 lags power), seconds.</summary>
    internal const double NadirLagS = 15;

    /// <summary>
    /// Kinetics of effort <paramref name="e"/>; <paramref name="nextStart"/> is the first row of the next effort
    /// (n when none): the recovery window stops there.
    /// </summary>
    public static EffortMetrics Measure(Effort e, uint[] ts, float[] smo2, float[] sm, int n, AnalysisOptions o, bool regular,
        int nextStart)
    {
        double t0 = ts[0];
        // Baseline: mean valid SmO2 in [start - BaselineS, start).
        var b0 = ChannelAnalyzer.LowerBound(ts, n, (uint)Math.Max(0, e.StartTime - o.BaselineS), regular);
        double? baseline = MeanValid(smo2, b0, e.Start);

        // Desaturation rate: least-squares slope of SmO2 against time from start + skip to the effort's end.
        var r0 = ChannelAnalyzer.LowerBound(ts, n, (uint)(e.StartTime + o.DesaturationSkipS), regular);
        var r1 = e.End;
        double? rate = regular ? VectorKernels.SlopeOnSeconds(smo2.AsSpan(r0, Math.Max(0, r1 - r0))) : Slope(ts, smo2, r0, Math.Max(r0, r1));

        // The recovery window: from the end of the work until RecoveryS later, the next effort or the recording's end.
        var endRow = ChannelAnalyzer.LowerBound(ts, n, e.EndTime, regular);
        var fullEnd = ChannelAnalyzer.LowerBound(ts, n, (uint)(e.EndTime + o.RecoveryS), regular);
        var recEnd = Math.Min(fullEnd, Math.Max(endRow, nextStart));
        var truncated = recEnd < fullEnd || e.EndTime + o.RecoveryS > ts[n - 1] + 1.0;

        // Robust low: the lowest LowWindowS mean of the raw samples from start + skip until NadirLagS after the end
        // (never past the next effort).
        var lowEnd = Math.Min(ChannelAnalyzer.LowerBound(ts, n, (uint)(e.EndTime + NadirLagS), regular), Math.Max(e.End, nextStart));
        var low = regular ? RobustLowRegular(smo2, r0 < e.End ? r0 : e.Start, lowEnd, o.LowWindowS)
            : RobustLow(ts, smo2, r0 < e.End ? r0 : e.Start, lowEnd, o.LowWindowS);

        // Recovery from the end of the work (the mnirs response_time definition): A = mean of the last WorkBaselineS of
        // work, B = the peak of the smoothed signal in the recovery window; half-time and mean response time are the
        // times from the end of the work to the first smoothed sample at A + 0.5 (B - A) and A + 0.632 (B - A).
        var a0 = ChannelAnalyzer.LowerBound(ts, n, (uint)Math.Max(e.StartTime, e.EndTime - o.WorkBaselineS), regular);
        double? workLevel = MeanValid(smo2, a0, endRow);
        double? recoveryPeak = null, halfFromEnd = null, mrt = null, overshootFromEnd = null;
        var cut = false;
        var peakRow = FirstAt(VectorKernels.IndexOfFirstMax(sm.AsSpan(endRow, Math.Max(0, recEnd - endRow))), endRow);
        // Nothing after the work (the recording or the next effort begins at once): the recovery was cut.
        cut = peakRow < 0 && truncated;
        if (peakRow >= 0 && workLevel is { } wa)
        {
            // A window that ends (next effort, end of recording) while the signal is still rising has no real peak.
            cut = truncated && ts[recEnd - 1] - (double)ts[peakRow] <= Math.Max(o.SmoothingWindowS, 2 * (recEnd - endRow > 1 ? ts[recEnd - 1] - (double)ts[recEnd - 2] : 1));
            var bv = (double)sm[peakRow];
            if (!cut && bv - wa >= MinRecoveryAmplitude)
            {
                recoveryPeak = bv;
                halfFromEnd = FirstReach(ts, sm, endRow, peakRow, wa + 0.5 * (bv - wa), e.EndTime);
                mrt = FirstReach(ts, sm, endRow, peakRow, wa + 0.632 * (bv - wa), e.EndTime);
                if (baseline is { } bl) overshootFromEnd = bv - bl;
            }
        }

        // The nadir-based values of earlier versions (kept: Nadir, NadirS, DesaturationDepth, Peak, ReoxygenationHalfTimeS).
        var nadirEnd = ChannelAnalyzer.LowerBound(ts, n, (uint)(e.EndTime + NadirLagS), regular);
        var nadirRow = FirstAt(VectorKernels.IndexOfFirstMin(sm.AsSpan(e.Start, Math.Max(0, nadirEnd - e.Start))), e.Start);
        double? nadir = null, nadirS = null, peak = null, half = null, overshoot = null;
        if (nadirRow >= 0)
        {
            nadir = sm[nadirRow];
            nadirS = ts[nadirRow] - t0;
            var legacyEnd = ChannelAnalyzer.LowerBound(ts, n, (uint)(e.EndTime + o.RecoveryS), regular);
            var legacyPeak = FirstAt(VectorKernels.IndexOfFirstMax(sm.AsSpan(nadirRow + 1, Math.Max(0, legacyEnd - nadirRow - 1))), nadirRow + 1);
            if (legacyPeak >= 0 && sm[legacyPeak] > nadir)
            {
                peak = sm[legacyPeak];
                var target = nadir.Value + (peak.Value - nadir.Value) / 2;
                for (var i = nadirRow + 1; i <= legacyPeak; i++)
                    if (!float.IsNaN(sm[i]) && sm[i] >= target) { half = ts[i] - (double)ts[nadirRow]; break; }
                if (baseline is { } bl) overshoot = peak - bl;
            }
        }
        return new EffortMetrics(e.Index, e.StartTime - t0, e.EndTime - (double)e.StartTime, e.MeanPowerW, Rd(baseline),
            Rd(nadir), nadirS, baseline is { } b && nadir is { } nd ? Rd(b - nd) : null, rate is { } r ? Rd(r) : null, Rd(peak),
            half, Rd(overshoot))
        {
            Source = e.Source,
            WorkLevel = Rd(workLevel),
            Low = Rd(low),
            Depth = baseline is { } b2 && low is { } lw ? Rd(b2 - lw) : null,
            RecoveryPeak = Rd(recoveryPeak),
            HalfTimeFromEndS = halfFromEnd,
            MeanResponseTimeS = mrt,
            OvershootFromEnd = Rd(overshootFromEnd),
            RecoveryCut = cut,
        };
    }

    /// <summary>Recovery amplitudes B - A below this (SmO2 points) are too small to time.</summary>
    internal const double MinRecoveryAmplitude = 2;

    /// <summary>Seconds from <paramref name="from"/> to the first valid sample in rows [a, b] at or above <paramref name="target"/>.</summary>
    private static double? FirstReach(uint[] ts, float[] sm, int a, int b, double target, uint from)
    {
        for (var i = a; i <= b; i++)
            if (!float.IsNaN(sm[i]) && sm[i] >= target) return ts[i] - (double)from;
        return null;
    }

    /// <summary>
    /// The lowest mean of the valid samples in a centred window of <paramref name="windowS"/> seconds, over the centres
    /// whose whole window lies in rows [a, b); the mean of the span when it is shorter than the window. Null without samples.
    /// </summary>
    internal static double? RobustLow(uint[] ts, float[] x, int a, int b, double windowS)
    {
        if (b <= a) return null;
        // Timestamps are whole seconds: |t_j - t_i| <= windowS / 2 <=> |t_j - t_i| <= floor(windowS / 2).
        var h = Math.Floor(windowS / 2);
        if (ts[b - 1] - (double)ts[a] < windowS) return MeanValid(x, a, b);
        int lo = a, hi = a, count = 0;
        double sum = 0, best = double.PositiveInfinity;
        for (var i = a; i < b; i++)
        {
            double ti = ts[i];
            if (ti - h < ts[a] || ti + h > ts[b - 1]) continue;
            while (hi < b && ts[hi] <= ti + h) { if (!float.IsNaN(x[hi])) { sum += x[hi]; count++; } hi++; }
            while (ts[lo] < ti - h) { if (!float.IsNaN(x[lo])) { sum -= x[lo]; count--; } lo++; }
            if (count > 0 && sum / count < best) best = sum / count;
        }
        return double.IsPositiveInfinity(best) ? MeanValid(x, a, b) : best;
    }

    /// <summary>
    /// <see cref="RobustLow"/> on rows one second apart: the window is rows [i - h, i + h], h = floor(windowS / 2), over
    /// the centres whose window lies in [a, b) (the same windows as by time).
    /// </summary>
    internal static double? RobustLowRegular(float[] x, int a, int b, double windowS)
    {
        if (b <= a) return null;
        var h = (int)Math.Floor(windowS / 2);
        if (b - 1 - a < windowS) return MeanValid(x, a, b);
        double sum = 0;
        var count = 0;
        for (var j = a; j < a + 2 * h; j++) if (!float.IsNaN(x[j])) { sum += x[j]; count++; }
        var best = double.PositiveInfinity;
        for (var c = a + h; c + h < b; c++)
        {
            var enter = x[c + h];
            if (!float.IsNaN(enter)) { sum += enter; count++; }
            if (count > 0)
            {
                var m = sum / count;
                if (m < best) best = m;
            }
            var leave = x[c - h];
            if (!float.IsNaN(leave)) { sum -= leave; count--; }
        }
        return double.IsPositiveInfinity(best) ? MeanValid(x, a, b) : best;
    }

    private static int FirstAt(int index, int offset) => index < 0 ? -1 : index + offset;

    private static double? Rd(double? v) => v is { } x ? ChannelAnalyzer.Round(x, 3) : null;

    internal static double? MeanValid(float[] x, int a, int b)
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
