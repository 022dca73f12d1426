using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NirsSync.Analysis;

/// <summary>SIMD kernels over whole signals: narrow moving mean, level sums.</summary>
internal static partial class VectorKernels
{
    /// <summary>
    /// Centred moving mean over rows [i - h, i + h] of the valid values (NaN where x[i] is NaN), by SIMD
    /// for the interior rows; false when h is too wide for the kernel (the caller then uses a running sum).
    /// </summary>
    public static bool SmoothNarrow(ReadOnlySpan<float> x, Span<float> y, int h)
    {
        if (h > 8 || !Vector256.IsHardwareAccelerated) return false;
        var n = x.Length;
        var i = 0;
        // Ends (and short rides) by the plain definition.
        void Plain(ReadOnlySpan<float> xs, Span<float> ys, int from, int to, int hw)
        {
            for (var r = from; r < to; r++)
            {
                if (float.IsNaN(xs[r])) { ys[r] = float.NaN; continue; }
                float sum = 0;
                var count = 0;
                for (var j = Math.Max(0, r - hw); j <= Math.Min(xs.Length - 1, r + hw); j++)
                    if (!float.IsNaN(xs[j])) { sum += xs[j]; count++; }
                ys[r] = sum / count;
            }
        }
        if (n <= 2 * h + Vector256<float>.Count) { Plain(x, y, 0, n, h); return true; }
        Plain(x, y, 0, h, h);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var one = Vector256<float>.One;
        var nan = Vector256.Create(float.NaN);
        for (i = h; i <= n - h - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var sum = Vector256<float>.Zero;
            var count = Vector256<float>.Zero;
            for (var k = -h; k <= h; k++)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)(i + k));
                var ok = Vector256.Equals(v, v);
                sum += v & ok;
                count += one & ok;
            }
            var c = Vector256.LoadUnsafe(ref xr, (nuint)i);
            var mean = sum / count;
            Vector256.ConditionalSelect(Vector256.Equals(c, c), mean, nan).StoreUnsafe(ref yr, (nuint)i);
        }
        Plain(x, y, i, n, h);
        return true;
    }

    /// <summary>
    /// Sums for the level statistics: Σx over valid x (SmO2); Σy over valid y (tHb); over rows where both
    /// are valid Σx·y, Σy and their number; min and max of s over rows with valid x.
    /// </summary>
    public static LevelKernelSums Sums(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s)
    {
        var r = new LevelKernelSums
        {
            Min = float.PositiveInfinity, Max = float.NegativeInfinity, MinX = float.PositiveInfinity, MaxX = float.NegativeInfinity,
            MinY = float.PositiveInfinity, MaxY = float.NegativeInfinity,
        };
        var i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            ref var yr = ref MemoryMarshal.GetReference(y);
            ref var sr = ref MemoryMarshal.GetReference(s);
            Vector256<double> vx = default, vy = default, vxy = default, vyb = default;
            var inf = Vector256.Create(float.PositiveInfinity);
            var ninf = Vector256.Create(float.NegativeInfinity);
            var vmin = inf;
            var vmax = ninf;
            var vminX = inf;
            var vmaxX = ninf;
            var vminY = inf;
            var vmaxY = ninf;
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var a = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var b = Vector256.LoadUnsafe(ref yr, (nuint)i);
                var m = Vector256.LoadUnsafe(ref sr, (nuint)i);
                var okA = Vector256.Equals(a, a);
                var okB = Vector256.Equals(b, b);
                var both = okA & okB;
                var (al, ah) = Vector256.Widen(a & okA);
                vx += al + ah;
                var (bl, bh) = Vector256.Widen(b & okB);
                vy += bl + bh;
                var (pl, ph) = Vector256.Widen(a & both);
                var (ql, qh) = Vector256.Widen(b & both);
                vxy += pl * ql + ph * qh;
                vyb += ql + qh;
                r.Both += BitOperations.PopCount(both.ExtractMostSignificantBits());
                var mOk = okA & Vector256.Equals(m, m);
                // Invalid lanes hold +-infinity, so no NaN reaches the native min/max.
                vmin = Vector256.MinNative(vmin, Vector256.ConditionalSelect(mOk, m, inf));
                vmax = Vector256.MaxNative(vmax, Vector256.ConditionalSelect(mOk, m, ninf));
                vminX = Vector256.MinNative(vminX, Vector256.ConditionalSelect(okA, a, inf));
                vmaxX = Vector256.MaxNative(vmaxX, Vector256.ConditionalSelect(okA, a, ninf));
                vminY = Vector256.MinNative(vminY, Vector256.ConditionalSelect(okB, b, inf));
                vmaxY = Vector256.MaxNative(vmaxY, Vector256.ConditionalSelect(okB, b, ninf));
            }
            r.SumX = Vector256.Sum(vx);
            r.SumY = Vector256.Sum(vy);
            r.SumXY = Vector256.Sum(vxy);
            r.SumYBoth = Vector256.Sum(vyb);
            r.Min = MinAcross(vmin);
            r.Max = MaxAcross(vmax);
            r.MinX = MinAcross(vminX);
            r.MaxX = MaxAcross(vmaxX);
            r.MinY = MinAcross(vminY);
            r.MaxY = MaxAcross(vmaxY);
        }
        for (; i < x.Length; i++)
        {
            float a = x[i], b = y[i];
            if (!float.IsNaN(b))
            {
                r.SumY += b;
                r.MinY = MathF.Min(r.MinY, b);
                r.MaxY = MathF.Max(r.MaxY, b);
            }
            if (float.IsNaN(a)) continue;
            r.SumX += a;
            r.MinX = MathF.Min(r.MinX, a);
            r.MaxX = MathF.Max(r.MaxX, a);
            var m = s[i];
            if (m < r.Min) r.Min = m;
            if (m > r.Max) r.Max = m;
            if (float.IsNaN(b)) continue;
            r.SumXY += (double)a * b;
            r.SumYBoth += b;
            r.Both++;
        }
        return r;
    }

    /// <summary>Smallest lane of a vector without NaN lanes.</summary>
    internal static float MinAcross(Vector256<float> v)
    {
        var m = Vector128.MinNative(v.GetLower(), v.GetUpper());
        m = Vector128.MinNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MinNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }

    /// <summary>Largest lane of a vector without NaN lanes.</summary>
    internal static float MaxAcross(Vector256<float> v)
    {
        var m = Vector128.MaxNative(v.GetLower(), v.GetUpper());
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }
}
