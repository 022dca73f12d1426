namespace NirsSync.Analysis;

/// <summary>Timing facts of a ride's rows shared by its channels.</summary>
internal readonly record struct RideTiming(double IntervalS, int Gaps, double LongestGapS)
{
    /// <summary>Median step between rows (steps up to 1 h counted exactly), gaps longer than twice it, longest step.</summary>
    public static RideTiming Of(ReadOnlySpan<uint> ts)
    {
        if (ts.Length < 2) return new RideTiming(1, 0, 0);
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
        for (var d = (int)(2 * median) + 1; d < 64; d++) gaps += counts[d];
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
        else
            for (var i = 0; i < n; i++)
            {
                var v = smo2In[i];
                if (v > 0 && v <= 100) smo2[i] = v;
                else
                {
                    smo2[i] = float.NaN;
                    if (v == 0) zeros++; else if (!float.IsNaN(v)) outOfRange++;
                }
            }
        if (thbIn is null) thb[..n].Fill(float.NaN);
        else
            for (var i = 0; i < n; i++)
            {
                var v = thbIn[i];
                if (v > 0 && v <= 40) thb[i] = v;
                else
                {
                    thb[i] = float.NaN;
                    if (v == 0) zeros++; else if (!float.IsNaN(v)) outOfRange++;
                }
            }
        var frozen = RemoveFrozen(ts, smo2, thb, smo2In is not null, thbIn is not null, frozenS);

        int validS = 0, validT = 0, dropouts = 0;
        var primary = smo2In is not null ? smo2 : thb;
        var seenValid = false;
        var inGap = false;
        for (var i = 0; i < n; i++)
        {
            if (!float.IsNaN(smo2[i])) validS++;
            if (!float.IsNaN(thb[i])) validT++;
            if (!float.IsNaN(primary[i]))
            {
                if (inGap && seenValid) dropouts++;
                seenValid = true;
                inGap = false;
            }
            else inGap = true;
        }
        var validPrimary = smo2In is not null ? validS : validT;
        return new ChannelQuality(n, validS, validT, n == 0 ? 0 : (double)validPrimary / n, zeros, outOfRange, frozen,
            dropouts, timing.IntervalS, timing.Gaps, timing.LongestGapS);
    }

    private static int RemoveFrozen(ReadOnlySpan<uint> ts, Span<float> smo2, Span<float> thb, bool hasS, bool hasT, double frozenS)
    {
        var n = ts.Length;
        var removed = 0;
        var start = 0;
        for (var i = 1; i <= n; i++)
        {
            var same = i < n && Same(smo2[i], smo2[start], hasS) && Same(thb[i], thb[start], hasT)
                && !(float.IsNaN(hasS ? smo2[i] : thb[i]));
            if (same) continue;
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

    private static bool Same(float a, float b, bool present) => !present || a == b || (float.IsNaN(a) && float.IsNaN(b));
}
