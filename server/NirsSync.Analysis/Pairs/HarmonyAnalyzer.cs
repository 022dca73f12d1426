using System.Numerics.Tensors;

namespace NirsSync.Analysis;

/// <summary>
/// Harmony: SmO2 minus its centred moving mean (DetrendWindowS), missing rows set to 0; then the
/// normalised cross-correlation r(k) = sum a_i b_(i+k) / sqrt(sum a_i^2 sum b_(i+k)^2) over rows both
/// have, for lags |k| up to MaxLagS.
/// </summary>
internal static class HarmonyAnalyzer
{
    /// <summary>Detrended SmO2 with missing rows = 0.</summary>
    public static float[] Detrend(uint[] ts, float[] smo2, int n, double windowS)
    {
        var trend = GC.AllocateUninitializedArray<float>(n);
        ChannelAnalyzer.Smooth(ts, smo2, trend, n, windowS / 2);
        var d = new float[n];
        for (var i = 0; i < n; i++) d[i] = float.IsNaN(smo2[i]) ? 0 : smo2[i] - trend[i];
        return d;
    }

    public static Harmony Measure(float[] a, float[] b, int from, int to, int maxLag, double interval)
    {
        // Rows where both are valid count towards the sample number; a row with one missing is 0 in that signal.
        var both = 0;
        for (var i = from; i < to; i++) if (a[i] != 0 && b[i] != 0) both++;
        if (both < 10) return Harmony.Empty;
        double? zero = null;
        double best = double.NegativeInfinity;
        var bestLag = 0;
        for (var k = -maxLag; k <= maxLag; k++)
        {
            int a0 = Math.Max(from, from - k), a1 = Math.Min(to, to - k);
            if (a1 - a0 < 10) continue;
            var sa = a.AsSpan(a0, a1 - a0);
            var sb = b.AsSpan(a0 + k, a1 - a0);
            double dot = TensorPrimitives.Dot(sa, sb);
            double na = TensorPrimitives.Dot(sa, sa), nb = TensorPrimitives.Dot(sb, sb);
            if (na <= 0 || nb <= 0) continue;
            var r = dot / Math.Sqrt(na * nb);
            if (k == 0) zero = r;
            if (r > best) { best = r; bestLag = k; }
        }
        if (double.IsNegativeInfinity(best)) return new Harmony(null, null, null, both);
        return new Harmony(zero is { } z ? ChannelAnalyzer.Round(z, 4) : null, ChannelAnalyzer.Round(best, 4),
            bestLag * interval, both);
    }
}
