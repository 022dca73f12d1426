using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NirsSync.Analysis;

/// <summary>The harmony's cross-products at every lag in one pass over the rows where all lags overlap.</summary>
internal static class LagDots
{
    /// <summary>
    /// dots[k + maxLag] = sum of a[i] b[i + k] over the rows i of [from, to) with i + k also in [from, to),
    /// for k in [-maxLag, maxLag]. Rows [from + maxLag, to - maxLag) are inside every lag's window: there
    /// seven lags share each load of a (products summed in float lanes, as a dot product of floats is);
    /// each lag's remaining rows at the two ends are added on their own.
    /// </summary>
    public static void Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int from, int to, int maxLag, Span<double> dots)
    {
        if (dots.Length < 2 * maxLag + 1) throw new ArgumentException($"{2 * maxLag + 1} lags need as many slots", nameof(dots));
        if (from < 0 || to > a.Length || to > b.Length) throw new ArgumentOutOfRangeException(nameof(to), "rows past the signals");
        var lo = from + maxLag;
        var width = Vector256<float>.Count;
        var body = Vector256.IsHardwareAccelerated ? Math.Max(0, to - maxLag - lo) / width * width : 0;
        if (body < 8 * width) body = 0;
        var hi = lo + body; // the shared rows are [lo, hi)
        var k = -maxLag;
        if (body > 0)
        {
            for (; k + 6 <= maxLag; k += 7) Seven(a, b, lo, hi, k, dots.Slice(k + maxLag, 7));
            for (; k <= maxLag; k++) dots[k + maxLag] = Dot(a, b, lo, hi, k);
        }
        else
        {
            for (; k <= maxLag; k++) dots[k + maxLag] = 0;
        }
        for (k = -maxLag; k <= maxLag; k++)
        {
            // The lag's window [a0, a1) less the shared rows (all of it when there are none).
            int a0 = Math.Max(from, from - k), a1 = Math.Min(to, to - k);
            if (a1 <= a0) continue;
            if (body == 0)
            {
                dots[k + maxLag] = Dot(a, b, a0, a1, k);
                continue;
            }
            dots[k + maxLag] += Dot(a, b, a0, lo, k) + Dot(a, b, hi, a1, k);
        }
    }

    /// <summary>Lags k0 .. k0 + 6 over rows [lo, hi) (a multiple of the vector width).</summary>
    private static void Seven(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int lo, int hi, int k0, Span<double> dots)
    {
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), k0);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default;
        for (var i = lo; i < hi; i += Vector256<float>.Count)
        {
            var x = Vector256.LoadUnsafe(ref ar, (nuint)i);
            ref var bi = ref Unsafe.Add(ref br, i);
            s0 += x * Vector256.LoadUnsafe(ref bi);
            s1 += x * Vector256.LoadUnsafe(ref bi, 1);
            s2 += x * Vector256.LoadUnsafe(ref bi, 2);
            s3 += x * Vector256.LoadUnsafe(ref bi, 3);
            s4 += x * Vector256.LoadUnsafe(ref bi, 4);
            s5 += x * Vector256.LoadUnsafe(ref bi, 5);
            s6 += x * Vector256.LoadUnsafe(ref bi, 6);
        }
        dots[0] = Lanes(s0);
        dots[1] = Lanes(s1);
        dots[2] = Lanes(s2);
        dots[3] = Lanes(s3);
        dots[4] = Lanes(s4);
        dots[5] = Lanes(s5);
        dots[6] = Lanes(s6);
    }

    /// <summary>Sum of a[i] b[i + k] over rows [lo, hi) (none when hi &lt;= lo).</summary>
    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int lo, int hi, int k)
    {
        if (hi <= lo) return 0;
        var x = a.Slice(lo, hi - lo);
        var y = b.Slice(lo + k, hi - lo);
        var i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            ref var yr = ref MemoryMarshal.GetReference(y);
            Vector256<float> s = default;
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                s += Vector256.LoadUnsafe(ref xr, (nuint)i) * Vector256.LoadUnsafe(ref yr, (nuint)i);
            sum = Lanes(s);
        }
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>The lanes' sum, in double.</summary>
    private static double Lanes(Vector256<float> s)
    {
        var (lo, hi) = Vector256.Widen(s);
        return Vector256.Sum(lo + hi);
    }
}
