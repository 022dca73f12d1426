namespace NirsSync.Analysis;

/// <summary>
/// Timing facts of a ride's rows shared by its channels. <paramref name="Regular"/>: every row is exactly one
/// second after the one before (so row i is at ts[0] + i and windows in seconds are windows in rows).
/// </summary>
internal readonly record struct RideTiming(double IntervalS, int Gaps, double LongestGapS, bool Regular = false)
{
    /// <summary>Median step between rows (steps up to 1 h counted exactly), gaps longer than twice it, longest step.</summary>
    public static RideTiming Of(ReadOnlySpan<uint> ts)
    {
        if (ts.Length < 2) return new RideTiming(1, 0, 0, Regular: true);
        if (VectorKernels.StepsAreOne(ts)) return new RideTiming(1, 0, 1, Regular: true);
        Span<int> counts = stackalloc int[64];
        var big = new List<uint>();
        uint longest = 0;
        for (var i = 1; i < ts.Length; i++)
        {
            var d = ts[i] >= ts[i - 1] ? ts[i] - ts[i - 1] : 0;
            if (d > longest) longest = d;
            if (d < 64) counts[(int)d]++; else big.Add(d);
        }
        var total = ts.Length - 1;
        long half = (total + 1) / 2, cum = 0;
        double median = 1;
        var found = false;
        for (var d = 0; d < 64 && !found; d++)
        {
            cum += counts[d];
            if (cum >= half) { median = d; found = true; }
        }
        if (!found)
        {
            big.Sort();
            median = big[(int)(half - cum - 1)];
        }
        if (median <= 0) median = 1;
        var gaps = 0;
        // A median step of years (a damaged file) must not overflow the start index.
        for (var d = 2 * median >= 63 ? 64 : (int)(2 * median) + 1; d < 64; d++) gaps += counts[d];
        foreach (var d in big) if (d > 2 * median) gaps++;
        return new RideTiming(median, gaps, longest);
    }
}

/// <summary>
/// Cleaning: SmO2 outside (0, 100] %, tHb outside (0, 40] g/dL, NaN and special values are missing;
/// a run of identical values lasting <see cref="AnalysisOptions.FrozenS"/> or longer is frozen and all
/// but its first sample are missing. Missing values are NaN, never a minimum.
/// </summary>
internal static class SignalCleaner
{
    public static ChannelQuality Clean(ReadOnlySpan<uint> ts, float[]? smo2In, float[]? thbIn, Span<float> smo2, Span<float> thb,
        double frozenS, RideTiming timing)
    {
        var n = ts.Length;
        int zeros = 0, outOfRange = 0;
        if (smo2In is null) smo2[..n].Fill(float.NaN);
        else (zeros, outOfRange) = VectorKernels.ClampValid(smo2In.AsSpan(0, n), smo2[..n], 100f);
        if (thbIn is null) thb[..n].Fill(float.NaN);
        else
        {
            var (z, o) = VectorKernels.ClampValid(thbIn.AsSpan(0, n), thb[..n], 40f);
            zeros += z;
            outOfRange += o;
        }
        var frozen = RemoveFrozen(ts, smo2, thb, smo2In is not null, thbIn is not null, frozenS, timing.Regular);
        var validS = VectorKernels.CountValid(smo2[..n]);
        var validT = VectorKernels.CountValid(thb[..n]);
        var dropouts = VectorKernels.Dropouts(smo2In is not null ? smo2[..n] : thb[..n]);
        var validPrimary = smo2In is not null ? validS : validT;
        return new ChannelQuality(n, validS, validT, n == 0 ? 0 : (double)validPrimary / n, zeros, outOfRange, frozen,
            dropouts, timing.IntervalS, timing.Gaps, timing.LongestGapS);
    }

    private static int RemoveFrozen(ReadOnlySpan<uint> ts, Span<float> smo2, Span<float> thb, bool hasS, bool hasT, double frozenS,
        bool regular)
    {
        var n = ts.Length;
        if (n > 1 && regular && frozenS >= 4) return RemoveFrozenRegular(smo2[..n], thb[..n], hasS, hasT, (int)Math.Ceiling(frozenS));
        return RemoveFrozenGeneral(ts, smo2, thb, hasS, hasT, frozenS);
    }

    /// <summary>Runs of identical values by a scan of every row (any timing).</summary>
    internal static int RemoveFrozenGeneral(ReadOnlySpan<uint> ts, Span<float> smo2, Span<float> thb, bool hasS, bool hasT, double frozenS)
    {
        var n = ts.Length;
        var removed = 0;
        var start = 0;
        var primary = hasS ? smo2 : thb;
        for (var i = 1; i <= n; i++)
        {
            // Runs of one valid value (NaN never starts or continues a run).
            if (i < n && primary[i] == primary[start] && (!hasS || !hasT || thb[i] == thb[start] || (float.IsNaN(thb[i]) && float.IsNaN(thb[start]))))
                continue;
            var end = i - 1;
            if (end > start && ts[end] - ts[start] >= frozenS)
            {
                for (var j = start + 1; j <= end; j++)
                {
                    smo2[j] = float.NaN;
                    thb[j] = float.NaN;
                }
                removed += end - start;
            }
            start = i;
        }
        return removed;
    }

    /// <summary>
    /// The same on rows one second apart, where a frozen run spans at least <paramref name="rows"/> + 1 rows:
    /// such a run contains two neighbouring points of a stride of rows / 2 with equal values, so only
    /// those points are compared, and a candidate is grown to its maximal run and checked exactly.
    /// </summary>
    internal static int RemoveFrozenRegular(Span<float> smo2, Span<float> thb, bool hasS, bool hasT, int rows)
    {
        var n = smo2.Length;
        var primary = hasS ? smo2 : thb;
        var stride = Math.Max(1, rows / 2);
        var removed = 0;
        var next = 0; // first row not yet covered by a processed run
        for (var k = 0; k + stride < n; k += stride)
        {
            if (k + stride < next) continue;
            if (!Same(primary, thb, hasS, hasT, k, k + stride)) continue;
            int start = Math.Max(k, next), end = k + stride;
            // Grow to the maximal run of identical values around the two points.
            var lo = k;
            while (lo > next && Same(primary, thb, hasS, hasT, lo - 1, lo)) lo--;
            var contiguous = true;
            for (var i = k + 1; i <= k + stride && contiguous; i++) contiguous = Same(primary, thb, hasS, hasT, i - 1, i);
            if (!contiguous) continue;
            start = lo;
            while (end + 1 < n && Same(primary, thb, hasS, hasT, end, end + 1)) end++;
            if (end - start >= rows)
            {
                for (var j = start + 1; j <= end; j++)
                {
                    smo2[j] = float.NaN;
                    thb[j] = float.NaN;
                }
                removed += end - start;
            }
            next = end + 1;
        }
        return removed;
    }

    /// <summary>Rows a and b carry the same valid primary value (and the same tHb, NaN matching NaN).</summary>
    private static bool Same(Span<float> primary, Span<float> thb, bool hasS, bool hasT, int a, int b) =>
        !float.IsNaN(primary[a]) && primary[a] == primary[b]
        && (!hasS || !hasT || thb[a] == thb[b] || (float.IsNaN(thb[a]) && float.IsNaN(thb[b])));
}
