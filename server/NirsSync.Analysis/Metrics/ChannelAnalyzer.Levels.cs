namespace NirsSync.Analysis;

/// <summary>A lap's level statistics before the rest of its metrics are added.</summary>
internal readonly record struct LapLevels(int ValidSamples, SmO2Stats SmO2, THbStats THb, double? O2Hb, double? HHb);

/// <summary>
/// The ride's laps that have rows: lap number and rows [A, B) of each, whether they follow one another
/// without overlapping (then ride totals are the sums over laps and the rows between them), and the lap
/// each effort starts in. Found once per ride and shared by its channels.
/// </summary>
internal sealed class LapRanges
{
    public LapRanges(RideFrame ride, int n, bool regular, Effort[] efforts)
    {
        var ts = ride.Timestamp;
        var lap = new List<int>(ride.Laps.Count);
        var a = new List<int>(ride.Laps.Count);
        var b = new List<int>(ride.Laps.Count);
        for (var li = 0; li < ride.Laps.Count; li++)
        {
            int from = ChannelAnalyzer.LowerBound(ts, n, ride.Laps[li].Start, regular);
            int to = ChannelAnalyzer.LowerBound(ts, n, ride.Laps[li].End + 1, regular);
            if (to <= from) continue;
            lap.Add(li);
            a.Add(from);
            b.Add(to);
        }
        Lap = [.. lap];
        A = [.. a];
        B = [.. b];
        Ordered = true;
        for (var i = 1; i < A.Length; i++) Ordered &= A[i] >= B[i - 1];
        EffortLaps = new int[efforts.Length];
        for (var e = 0; e < efforts.Length; e++) EffortLaps[e] = Holding(efforts[e].Start);
    }

    public int[] Lap { get; }
    public int[] A { get; }
    public int[] B { get; }
    public bool Ordered { get; }
    public int Count => Lap.Length;

    /// <summary>For each effort, the lap (index into these ranges) holding its first row, or -1.</summary>
    public int[] EffortLaps { get; }

    /// <summary>Index of the lap whose rows hold row <paramref name="row"/> (the first such), or -1.</summary>
    public int Holding(int row)
    {
        for (var i = 0; i < A.Length; i++) if (row >= A[i] && row < B[i]) return i;
        return -1;
    }
}

/// <summary>Ride and lap levels: percentiles, means, smoothed min/max, O2Hb and HHb.</summary>
internal static partial class ChannelAnalyzer
{
    /// <summary>Running sums of one stretch of rows; stretches merge by adding.</summary>
    private struct LevelSums
    {
        public int Ns, Nt, Nb, SLo, SHi, TLo, THi;
        public double SumS, SumT, SumO2, SumTb;
        public float Min, Max;

        public static LevelSums Empty => new()
        {
            SLo = int.MaxValue, SHi = -1, TLo = int.MaxValue, THi = -1, Min = float.PositiveInfinity, Max = float.NegativeInfinity,
        };

        public void Add(in LevelSums o)
        {
            Ns += o.Ns; Nt += o.Nt; Nb += o.Nb;
            SLo = Math.Min(SLo, o.SLo); SHi = Math.Max(SHi, o.SHi);
            TLo = Math.Min(TLo, o.TLo); THi = Math.Max(THi, o.THi);
            SumS += o.SumS; SumT += o.SumT; SumO2 += o.SumO2; SumTb += o.SumTb;
            Min = MathF.Min(Min, o.Min); Max = MathF.Max(Max, o.Max);
        }
    }

    /// <summary>
    /// Ride and lap levels in one pass over the rows: each lap is counted into the lap histograms, its
    /// statistics taken, then its counts are added to the ride histograms. Overlapping laps fall back to
    /// a pass per lap. Scratch histograms are zero on entry and left zero.
    /// </summary>
    internal static (SmO2Stats, THbStats, double?, double?) RideAndLaps(CleanSignal s, float[] smooth, int n, LapRanges laps,
        Scratch scratch, LapLevels[] lapLevels)
    {
        var total = LevelSums.Empty;
        if (!laps.Ordered)
        {
            Accumulate(s, smooth, 0, n, scratch.SmO2Hist, scratch.THbHist, ref total, scratch);
            for (var i = 0; i < laps.Count; i++)
            {
                var lapSums = LevelSums.Empty;
                Accumulate(s, smooth, laps.A[i], laps.B[i], scratch.LapSmO2Hist, scratch.LapTHbHist, ref lapSums, scratch);
                lapLevels[i] = LapResult(lapSums, scratch, merge: false);
            }
            return Finish(total, scratch.SmO2Hist, scratch.THbHist);
        }
        var cursor = 0;
        for (var i = 0; i < laps.Count; i++)
        {
            int a = laps.A[i], b = laps.B[i];
            if (cursor < a) Accumulate(s, smooth, cursor, a, scratch.SmO2Hist, scratch.THbHist, ref total, scratch);
            var lapSums = LevelSums.Empty;
            Accumulate(s, smooth, a, b, scratch.LapSmO2Hist, scratch.LapTHbHist, ref lapSums, scratch);
            lapLevels[i] = LapResult(lapSums, scratch, merge: true);
            total.Add(lapSums);
            cursor = b;
        }
        if (cursor < n) Accumulate(s, smooth, cursor, n, scratch.SmO2Hist, scratch.THbHist, ref total, scratch);
        return Finish(total, scratch.SmO2Hist, scratch.THbHist);
    }

    private static LapLevels LapResult(in LevelSums sums, Scratch scratch, bool merge)
    {
        var (smo2, thb) = Stats(sums, scratch.LapSmO2Hist, scratch.LapTHbHist);
        // Move the lap's counts into the ride histograms (or just clear them), over the occupied bins only.
        Drain(scratch.LapSmO2Hist, scratch.SmO2Hist, sums.SLo, sums.SHi, merge);
        Drain(scratch.LapTHbHist, scratch.THbHist, sums.TLo, sums.THi, merge);
        var (o2, hhb) = Haemoglobin(sums);
        return new LapLevels(sums.Ns, smo2, thb, o2, hhb);
    }

    private static void Drain(int[] from, int[] to, int lo, int hi, bool merge)
    {
        if (hi < lo) return;
        var f = from.AsSpan(lo, hi - lo + 1);
        if (merge) System.Numerics.Tensors.TensorPrimitives.Add(f, to.AsSpan(lo, hi - lo + 1), to.AsSpan(lo, hi - lo + 1));
        f.Clear();
    }

    private static void Accumulate(CleanSignal s, float[] smooth, int a, int b, int[] smo2Hist, int[] thbHist, ref LevelSums acc,
        Scratch scratch)
    {
        var smo2 = s.SmO2.AsSpan(a, b - a);
        var thb = s.THb.AsSpan(a, b - a);
        // Bins by SIMD (NaN to a trash bin past the grid), then one branch-free loop counting both signals,
        // so the two tables' increments overlap.
        var binsS = scratch.Bins(2 * smo2.Length);
        var binsT = binsS[smo2.Length..];
        binsS = binsS[..smo2.Length];
        VectorKernels.ToBins(smo2, binsS, Histogram.SmO2Resolution, Histogram.SmO2Bins);
        VectorKernels.ToBins(thb, binsT, Histogram.THbResolution, Histogram.THbBins);
        Histogram.CountBoth(binsS, smo2Hist, binsT, thbHist);
        var ns = smo2.Length - smo2Hist[Histogram.SmO2Bins];
        smo2Hist[Histogram.SmO2Bins] = 0;
        var nt = thb.Length - thbHist[Histogram.THbBins];
        thbHist[Histogram.THbBins] = 0;
        var k = VectorKernels.Sums(smo2, thb, smooth.AsSpan(a, b - a));
        int sLo = acc.SLo, sHi = acc.SHi, tLo = acc.TLo, tHi = acc.THi;
        if (ns > 0)
        {
            sLo = Math.Min(sLo, Histogram.Bin(k.MinX, Histogram.SmO2Resolution));
            sHi = Math.Max(sHi, Histogram.Bin(k.MaxX, Histogram.SmO2Resolution));
        }
        if (nt > 0)
        {
            tLo = Math.Min(tLo, Histogram.Bin(k.MinY, Histogram.THbResolution));
            tHi = Math.Max(tHi, Histogram.Bin(k.MaxY, Histogram.THbResolution));
        }
        acc.Ns += ns; acc.Nt += nt; acc.Nb += k.Both;
        acc.SLo = sLo; acc.SHi = sHi; acc.TLo = tLo; acc.THi = tHi;
        acc.SumS += k.SumX; acc.SumT += k.SumY; acc.SumO2 += k.SumXY; acc.SumTb += k.SumYBoth;
        acc.Min = MathF.Min(acc.Min, k.Min);
        acc.Max = MathF.Max(acc.Max, k.Max);
    }

    /// <summary>Statistics of accumulated sums; leaves the histograms as they are.</summary>
    private static (SmO2Stats, THbStats) Stats(in LevelSums acc, int[] sh, int[] th)
    {
        var smo2Stats = SmO2Stats.Empty;
        if (acc.Ns > 0)
        {
            var (p5, p50, p95) = Histogram.Percentiles(sh.AsSpan(acc.SLo, acc.SHi - acc.SLo + 1), acc.Ns, 0.05, 0.5, 0.95);
            double r5 = Round((p5 + acc.SLo) / 10.0, 1), r50 = Round((p50 + acc.SLo) / 10.0, 1), r95 = Round((p95 + acc.SLo) / 10.0, 1);
            smo2Stats = new SmO2Stats(r5, r50, r95, Round(acc.Min, 2), Round(acc.Max, 2), Round(acc.SumS / acc.Ns, 3), Round(r95 - r5, 1));
        }
        var thbStats = THbStats.Empty;
        if (acc.Nt > 0)
        {
            var (p5, p50, p95) = Histogram.Percentiles(th.AsSpan(acc.TLo, acc.THi - acc.TLo + 1), acc.Nt, 0.05, 0.5, 0.95);
            thbStats = new THbStats(Round((p5 + acc.TLo) / 100.0, 2), Round((p50 + acc.TLo) / 100.0, 2), Round((p95 + acc.TLo) / 100.0, 2),
                Round(acc.SumT / acc.Nt, 4));
        }
        return (smo2Stats, thbStats);
    }

    /// <summary>Ride statistics with O2Hb/HHb; clears the ride histograms.</summary>
    private static (SmO2Stats, THbStats, double?, double?) Finish(in LevelSums acc, int[] sh, int[] th)
    {
        var (smo2, thb) = Stats(acc, sh, th);
        if (acc.SHi >= acc.SLo) sh.AsSpan(acc.SLo, acc.SHi - acc.SLo + 1).Clear();
        if (acc.THi >= acc.TLo) th.AsSpan(acc.TLo, acc.THi - acc.TLo + 1).Clear();
        var (o2, hhb) = Haemoglobin(acc);
        return (smo2, thb, o2, hhb);
    }

    /// <summary>O2Hb = tHb x SmO2 / 100 and HHb = tHb - O2Hb, averaged over rows with both (null without such rows).</summary>
    private static (double? O2Hb, double? HHb) Haemoglobin(in LevelSums acc) =>
        acc.Nb > 0 ? (Round(acc.SumO2 / 100 / acc.Nb, 4), Round((acc.SumTb - acc.SumO2 / 100) / acc.Nb, 4)) : (null, null);
}
