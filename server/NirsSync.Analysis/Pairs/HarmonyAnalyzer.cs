using System.Buffers;

namespace NirsSync.Analysis;

/// <summary>
/// Harmony: SmO2 minus its centred moving mean (DetrendWindowS), missing rows set to 0; then the
/// normalised cross-correlation r(k) = sum a_i b_(i+k) / sqrt(sum a_i^2 sum b_(i+k)^2) over the rows the
/// two overlap at lag k, for lags |k| up to MaxLagS.
/// </summary>
internal static class HarmonyAnalyzer
{
    /// <summary>Detrended SmO2 with missing rows = 0, in a rented array (return it to <see cref="ArrayPool{T}.Shared"/>).</summary>
    public static float[] Detrend(uint[] ts, float[] smo2, int n, double windowS, bool regular)
    {
        var d = ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        if (n > 0 && regular)
        {
            // Rows one second apart: the window is rows [i - h, i + h], summed from prefix sums.
            var h = (int)Math.Min(n, Math.Floor(windowS / 2));
            var x = smo2.AsSpan(0, n);
            var sums = ArrayPool<double>.Shared.Rent(n + 1);
            double[]? counts = null;
            VectorKernels.Prefix<ValidValue>(x, sums);
            if (VectorKernels.CountValid(x) < n)
            {
                counts = ArrayPool<double>.Shared.Rent(n + 1);
                VectorKernels.Prefix<ValidCount>(x, counts);
            }
            VectorKernels.DetrendRegular(x, sums.AsSpan(0, n + 1), counts is null ? default : counts.AsSpan(0, n + 1), h, d.AsSpan(0, n));
            ArrayPool<double>.Shared.Return(sums);
            if (counts is not null) ArrayPool<double>.Shared.Return(counts);
            return d;
        }
        var trend = ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        ChannelAnalyzer.Smooth(ts, smo2, trend, n, windowS / 2, regular: false);
        VectorKernels.Detrended(smo2.AsSpan(0, n), trend.AsSpan(0, n), d.AsSpan(0, n));
        ArrayPool<float>.Shared.Return(trend);
        return d;
    }

    /// <summary>Harmony over rows [from, to).</summary>
    public static Harmony Measure(float[] a, float[] b, int from, int to, int maxLag, double interval)
    {
        // Rows where both are valid count towards the sample number; a row with one missing is 0 in that signal.
        var both = VectorKernels.CountBothNonZero(a.AsSpan(from, to - from), b.AsSpan(from, to - from));
        if (both < 10) return Harmony.Empty;
        double? zero = null;
        var best = double.NegativeInfinity;
        var bestLag = 0;
        Span<double> dots = maxLag <= 128 ? stackalloc double[2 * maxLag + 1] : new double[2 * maxLag + 1];
        LagDots.Compute(a, b, from, to, maxLag, dots);
        // Norms: each signal's sum of squares over [from, to) less the rows a lag leaves out at either end
        // (head[m]: the first m rows, tail[m]: the last m rows).
        var edge = Math.Min(maxLag, to - from);
        Span<double> ends = edge < 128 ? stackalloc double[4 * (edge + 1)] : new double[4 * (edge + 1)];
        var headA = ends[..(edge + 1)];
        var tailA = ends.Slice(edge + 1, edge + 1);
        var headB = ends.Slice(2 * (edge + 1), edge + 1);
        var tailB = ends.Slice(3 * (edge + 1), edge + 1);
        for (var m = 1; m <= edge; m++)
        {
            headA[m] = headA[m - 1] + (double)a[from + m - 1] * a[from + m - 1];
            tailA[m] = tailA[m - 1] + (double)a[to - m] * a[to - m];
            headB[m] = headB[m - 1] + (double)b[from + m - 1] * b[from + m - 1];
            tailB[m] = tailB[m - 1] + (double)b[to - m] * b[to - m];
        }
        double ta = VectorKernels.SumOfSquares(a.AsSpan(from, to - from)), tb = VectorKernels.SumOfSquares(b.AsSpan(from, to - from));
        for (var k = -maxLag; k <= maxLag; k++)
        {
            // a rows [a0, a1) against b rows [a0 + k, a1 + k), all inside [from, to).
            int a0 = Math.Max(from, from - k), a1 = Math.Min(to, to - k);
            if (a1 - a0 < 10) continue;
            // k >= 0 leaves out a's last k rows and b's first k; k < 0 a's first |k| rows and b's last |k|.
            double na = k >= 0 ? ta - tailA[k] : ta - headA[-k], nb = k >= 0 ? tb - headB[k] : tb - tailB[-k];
            if (na <= 1e-9 || nb <= 1e-9) continue;
            var r = Math.Clamp(dots[k + maxLag] / Math.Sqrt(na * nb), -1, 1);
            if (k == 0) zero = r;
            if (r > best) { best = r; bestLag = k; }
        }
        if (double.IsNegativeInfinity(best)) return new Harmony(null, null, null, both);
        return new Harmony(zero is { } z ? ChannelAnalyzer.Round(z, 4) : null, ChannelAnalyzer.Round(best, 4),
            bestLag * interval, both);
    }
}
