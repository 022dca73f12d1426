using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NirsSync.Analysis;

/// <summary>Short per-row passes: the effort kinetics' extremum searches, the harmony's detrending.</summary>
internal static partial class VectorKernels
{
    /// <summary>
    /// Index of the first smallest non-NaN value of <paramref name="x"/>, or -1 when every value is NaN:
    /// the row a scan keeping the first strictly smaller value would pick.
    /// </summary>
    public static int IndexOfFirstMin(ReadOnlySpan<float> x) => IndexOfFirst(x, Extreme(x, smallest: true));

    /// <summary>Index of the first largest non-NaN value of <paramref name="x"/>, or -1 when every value is NaN.</summary>
    public static int IndexOfFirstMax(ReadOnlySpan<float> x) => IndexOfFirst(x, Extreme(x, smallest: false));

    /// <summary>The smallest (largest) non-NaN value, +infinity (-infinity) when there is none.</summary>
    private static float Extreme(ReadOnlySpan<float> x, bool smallest)
    {
        var fill = smallest ? float.PositiveInfinity : float.NegativeInfinity;
        var best = fill;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            var f = Vector256.Create(fill);
            var acc = f;
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                // NaN becomes the fill value, so the extremum is over valid values only.
                v = Vector256.ConditionalSelect(Vector256.Equals(v, v), v, f);
                acc = smallest ? Vector256.MinNative(acc, v) : Vector256.MaxNative(acc, v);
            }
            best = smallest ? MinAcross(acc) : MaxAcross(acc);
        }
        for (; i < x.Length; i++)
        {
            var v = x[i];
            if (smallest ? v < best : v > best) best = v;
        }
        return best;
    }

    /// <summary>Sum (in double) and number of the values that are not NaN.</summary>
    public static (double Sum, int Count) ValidSum(ReadOnlySpan<float> x) => SumWhere(x, positiveOnly: false);

    /// <summary>
    /// Least-squares slope of the valid x against time, row i at i seconds, in units per minute; null with
    /// fewer than 5 valid rows. Time sums are sums of whole numbers, so exact in any order.
    /// </summary>
    public static double? SlopeOnSeconds(ReadOnlySpan<float> x)
    {
        double st = 0, sx = 0, stt = 0, stx = 0;
        int count = 0, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            Vector256<double> vt = Vector256.Create(0d, 1, 2, 3), four = Vector256.Create(4d);
            Vector256<double> a = default, b = default, c = default, d = default;
            for (; i <= x.Length - 4; i += 4)
            {
                var v = Vector256.WidenLower(Vector128.LoadUnsafe(ref xr, (nuint)i).ToVector256Unsafe());
                var valid = Vector256.Equals(v, v);
                var t = vt & valid;
                var y = v & valid;
                a += t;
                b += y;
                c += t * t;
                d += t * y;
                count += BitOperations.PopCount(valid.ExtractMostSignificantBits());
                vt += four;
            }
            st = Vector256.Sum(a);
            sx = Vector256.Sum(b);
            stt = Vector256.Sum(c);
            stx = Vector256.Sum(d);
        }
        for (; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) continue;
            double t = i;
            st += t; sx += x[i]; stt += t * t; stx += t * x[i];
            count++;
        }
        if (count < 5) return null;
        var den = count * stt - st * st;
        return den <= 0 ? null : (count * stx - st * sx) / den * 60;
    }

    /// <summary>Sum of the squares, in double.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        double sum = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            Vector256<double> s0 = default, s1 = default;
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref xr, (nuint)i));
                s0 += lo * lo;
                s1 += hi * hi;
            }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; i < x.Length; i++) sum += (double)x[i] * x[i];
        return sum;
    }

    /// <summary>Sum and number of the values above 0 (NaN is not), the sum in double.</summary>
    public static (double Sum, int Count) PositiveSum(ReadOnlySpan<float> x) => SumWhere(x, positiveOnly: true);

    /// <summary>Sum (in double) and number of the valid values, or of those above 0.</summary>
    private static (double Sum, int Count) SumWhere(ReadOnlySpan<float> x, bool positiveOnly)
    {
        double sum = 0;
        int count = 0, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            Vector256<double> acc = default;
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var keep = positiveOnly ? Vector256.GreaterThan(v, Vector256<float>.Zero) : Vector256.Equals(v, v);
                var (lo, hi) = Vector256.Widen(v & keep);
                acc += lo + hi;
                count += BitOperations.PopCount(keep.ExtractMostSignificantBits());
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < x.Length; i++)
            if (positiveOnly ? x[i] > 0 : !float.IsNaN(x[i])) { sum += x[i]; count++; }
        return (sum, count);
    }

    /// <summary>First index at or after <paramref name="from"/> with x &gt;= <paramref name="at"/>, or x.Length.</summary>
    public static int NextAtLeast(ReadOnlySpan<float> x, int from, float at) => NextWhere(x, from, at, atLeast: true);

    /// <summary>First index at or after <paramref name="from"/> where x &gt;= <paramref name="at"/> is false (NaN included), or x.Length.</summary>
    public static int NextBelow(ReadOnlySpan<float> x, int from, float at) => NextWhere(x, from, at, atLeast: false);

    private static int NextWhere(ReadOnlySpan<float> x, int from, float at, bool atLeast)
    {
        var i = from;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            var t = Vector256.Create(at);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var hits = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref xr, (nuint)i), t).ExtractMostSignificantBits();
                if (!atLeast) hits = ~hits & 0xFF;
                if (hits != 0) return i + BitOperations.TrailingZeroCount(hits);
            }
        }
        for (; i < x.Length; i++) if (x[i] >= at == atLeast) return i;
        return x.Length;
    }

    /// <summary>d = x - trend where x is valid, 0 where x is NaN (the harmony's detrended signal).</summary>
    public static void Detrended(ReadOnlySpan<float> x, ReadOnlySpan<float> trend, Span<float> d)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            ref var tr = ref MemoryMarshal.GetReference(trend);
            ref var dr = ref MemoryMarshal.GetReference(d);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var t = Vector256.LoadUnsafe(ref tr, (nuint)i);
                Vector256.ConditionalSelect(Vector256.Equals(v, v), v - t, Vector256<float>.Zero).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < x.Length; i++) d[i] = float.IsNaN(x[i]) ? 0 : x[i] - trend[i];
    }

    /// <summary>First index where x equals <paramref name="value"/> (so never at a NaN), or -1.</summary>
    private static int IndexOfFirst(ReadOnlySpan<float> x, float value)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            var target = Vector256.Create(value);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var hits = Vector256.Equals(Vector256.LoadUnsafe(ref xr, (nuint)i), target).ExtractMostSignificantBits();
                if (hits != 0) return i + BitOperations.TrailingZeroCount(hits);
            }
        }
        for (; i < x.Length; i++) if (x[i] == value) return i;
        return -1;
    }
}
