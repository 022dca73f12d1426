using System.Buffers;
using System.Numerics.Tensors;

namespace NirsSync.Analysis;

/// <summary>
/// Harmony: SmO2 minus its centred moving mean (DetrendWindowS), missing rows set to 0; then the
/// normalised cross-correlation r(k) = sum a_i b_(i+k) / sqrt(sum a_i^2 sum b_(i+k)^2) over the rows the
/// two overlap at lag k, for lags |k| up to MaxLagS.
/// </summary>
internal static class HarmonyAnalyzer
{
    /// <summary>Detrended SmO2 with missing rows = 0, in a rented array (return it to <see cref="ArrayPool{T}.Shared"/>).</summary>
    public static float[] Detrend(uint[] ts, float[] smo2, int n, double windowS)
    {
        var trend = ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        ChannelAnalyzer.Smooth(ts, smo2, trend, n, windowS / 2);
        var d = ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        for (var i = 0; i < n; i++) d[i] = float.IsNaN(smo2[i]) ? 0 : smo2[i] - trend[i];
        ArrayPool<float>.Shared.Return(trend);
        return d;
    }

    public static Harmony Measure(float[] a, float[] b, int from, int to, int maxLag, double interval)
    {
        // Rows where both are valid count towards the sample number; a row with one missing is 0 in that signal.
        var both = 0;
        for (var i = from; i < to; i++) if (a[i] != 0 && b[i] != 0) both++;
        if (both < 10) return Harmony.Empty;
        var len = to - from;
        // Prefix sums of squares give each lag's overlap norms in O(1).
        var qa = ArrayPool<double>.Shared.Rent(len + 1);
        var qb = ArrayPool<double>.Shared.Rent(len + 1);
        qa[0] = 0;
        qb[0] = 0;
        for (var i = 0; i < len; i++)
        {
            qa[i + 1] = qa[i] + (double)a[from + i] * a[from + i];
            qb[i + 1] = qb[i] + (double)b[from + i] * b[from + i];
        }
        double? zero = null;
        var best = double.NegativeInfinity;
        var bestLag = 0;
        for (var k = -maxLag; k <= maxLag; k++)
        {
            int a0 = Math.Max(0, -k), a1 = Math.Min(len, len - k);
            if (a1 - a0 < 10) continue;
            double na = qa[a1] - qa[a0], nb = qb[a1 + k] - qb[a0 + k];
            if (na <= 1e-12 || nb <= 1e-12) continue;
            double dot = TensorPrimitives.Dot(a.AsSpan(from + a0, a1 - a0), b.AsSpan(from + a0 + k, a1 - a0));
            var r = Math.Clamp(dot / Math.Sqrt(na * nb), -1, 1);
            if (k == 0) zero = r;
            if (r > best) { best = r; bestLag = k; }
        }
        ArrayPool<double>.Shared.Return(qa);
        ArrayPool<double>.Shared.Return(qb);
        if (double.IsNegativeInfinity(best)) return new Harmony(null, null, null, both);
        return new Harmony(zero is { } z ? ChannelAnalyzer.Round(z, 4) : null, ChannelAnalyzer.Round(best, 4),
            bestLag * interval, both);
    }
}
