using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NirsSync.Analysis;

/// <summary>SIMD kernels of the hot per-sample passes (Vector256 with a scalar tail; scalar when not accelerated).</summary>
internal static partial class VectorKernels
{
    /// <summary>
    /// y = x where lo &lt; x &lt;= hi, else NaN. Returns how many x were exactly 0 and how many were
    /// neither valid, 0 nor NaN (out of range).
    /// </summary>
    public static (int Zeros, int OutOfRange) ClampValid(ReadOnlySpan<float> x, Span<float> y, float hi)
    {
        int zeros = 0, outOfRange = 0, i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            ref var yr = ref MemoryMarshal.GetReference(y);
            var zero = Vector256<float>.Zero;
            var top = Vector256.Create(hi);
            var nan = Vector256.Create(float.NaN);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var ok = Vector256.GreaterThan(v, zero) & Vector256.LessThanOrEqual(v, top);
                Vector256.ConditionalSelect(ok, v, nan).StoreUnsafe(ref yr, (nuint)i);
                var isZero = Vector256.Equals(v, zero);
                var isNumber = Vector256.Equals(v, v);
                zeros += BitOperations.PopCount(isZero.ExtractMostSignificantBits());
                outOfRange += BitOperations.PopCount((isNumber & ~ok & ~isZero).ExtractMostSignificantBits());
            }
        }
        for (; i < x.Length; i++)
        {
            var v = x[i];
            if (v > 0 && v <= hi) y[i] = v;
            else
            {
                y[i] = float.NaN;
                if (v == 0) zeros++; else if (!float.IsNaN(v)) outOfRange++;
            }
        }
        return (zeros, outOfRange);
    }

    /// <summary>True when every value is exactly one more than the one before.</summary>
    public static bool StepsAreOne(ReadOnlySpan<uint> ts)
    {
        var i = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var tr = ref MemoryMarshal.GetReference(ts);
            var one = Vector256<uint>.One;
            var bad = Vector256<uint>.Zero;
            for (; i <= ts.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
                bad |= (Vector256.LoadUnsafe(ref tr, (nuint)i) - Vector256.LoadUnsafe(ref tr, (nuint)(i - 1))) ^ one;
            if (bad != Vector256<uint>.Zero) return false;
        }
        for (; i < ts.Length; i++) if (ts[i] - ts[i - 1] != 1) return false;
        return true;
    }

    /// <summary>True when no value is smaller than the one before.</summary>
    public static bool NeverDecreases(ReadOnlySpan<uint> ts)
    {
        var i = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var tr = ref MemoryMarshal.GetReference(ts);
            var back = Vector256<uint>.Zero;
            for (; i <= ts.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
                back |= Vector256.LessThan(Vector256.LoadUnsafe(ref tr, (nuint)i), Vector256.LoadUnsafe(ref tr, (nuint)(i - 1)));
            if (back != Vector256<uint>.Zero) return false;
        }
        for (; i < ts.Length; i++) if (ts[i] < ts[i - 1]) return false;
        return true;
    }

    /// <summary>Histogram bin of each value, (int)(x·resolution + 0.5), or <paramref name="trash"/> for NaN.</summary>
    public static void ToBins(ReadOnlySpan<float> x, Span<int> bins, float resolution, int trash)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            ref var br = ref MemoryMarshal.GetReference(bins);
            var res = Vector256.Create(resolution);
            var half = Vector256.Create(0.5f);
            var t = Vector256.Create(trash);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var ok = Vector256.Equals(v, v).AsInt32();
                var b = Vector256.ConvertToInt32(v * res + half);
                Vector256.ConditionalSelect(ok, b, t).StoreUnsafe(ref br, (nuint)i);
            }
        }
        for (; i < x.Length; i++) bins[i] = float.IsNaN(x[i]) ? trash : (int)(x[i] * resolution + 0.5f);
    }

    /// <summary>Number of values that are not NaN.</summary>
    public static int CountValid(ReadOnlySpan<float> x)
    {
        int count = 0, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                count += BitOperations.PopCount(Vector256.Equals(v, v).ExtractMostSignificantBits());
            }
        }
        for (; i < x.Length; i++) if (!float.IsNaN(x[i])) count++;
        return count;
    }

    /// <summary>Rows where both a and b are non-zero.</summary>
    public static int CountBothNonZero(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int count = 0, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var ar = ref MemoryMarshal.GetReference(a);
            ref var br = ref MemoryMarshal.GetReference(b);
            var zero = Vector256<float>.Zero;
            for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var m = ~Vector256.Equals(Vector256.LoadUnsafe(ref ar, (nuint)i), zero)
                    & ~Vector256.Equals(Vector256.LoadUnsafe(ref br, (nuint)i), zero);
                count += BitOperations.PopCount(m.ExtractMostSignificantBits());
            }
        }
        for (; i < a.Length; i++) if (a[i] != 0 && b[i] != 0) count++;
        return count;
    }

    /// <summary>Runs of NaN that have a valid value before and after them.</summary>
    public static int Dropouts(ReadOnlySpan<float> x)
    {
        if (x.Length < 2) return 0;
        // A run ends a valid stretch where x[i-1] is valid and x[i] is not; the last run counts only if it ends before the end.
        int ends = 0, i = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var prev = Vector256.LoadUnsafe(ref xr, (nuint)(i - 1));
                var cur = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var mask = Vector256.Equals(prev, prev) & ~Vector256.Equals(cur, cur);
                ends += BitOperations.PopCount(mask.ExtractMostSignificantBits());
            }
        }
        for (; i < x.Length; i++) if (!float.IsNaN(x[i - 1]) && float.IsNaN(x[i])) ends++;
        if (float.IsNaN(x[^1]) && ends > 0) ends--; // the trailing run has no valid value after it
        return ends;
    }

    /// <summary>
    /// Slope zones on rows one second apart: rise_i = x[i + h] - x[i - h] over the interior rows
    /// [h, n - h), counted against thresholds already multiplied by the window (2h s / 60).
    /// NaN at either end or at i leaves the row out.
    /// </summary>
    public static (long Rising, long Flat, long Falling, long Freefall) Zones(ReadOnlySpan<float> x, int h, float rising,
        float falling, float freefall)
    {
        long r = 0, fl = 0, fa = 0, ff = 0;
        var i = h;
        var end = x.Length - h;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            var vr = Vector256.Create(rising);
            var vfa = Vector256.Create(falling);
            var vff = Vector256.Create(freefall);
            var zero = Vector256<float>.Zero;
            for (; i <= end - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var a = Vector256.LoadUnsafe(ref xr, (nuint)(i - h));
                var b = Vector256.LoadUnsafe(ref xr, (nuint)(i + h));
                var c = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var rise = b - a + c * zero; // NaN anywhere -> NaN
                var valid = Vector256.Equals(rise, rise);
                var isRising = Vector256.GreaterThanOrEqual(rise, vr);
                var isFreefall = Vector256.LessThanOrEqual(rise, vff);
                var isFalling = Vector256.LessThanOrEqual(rise, vfa) & ~isFreefall;
                var nValid = BitOperations.PopCount(valid.ExtractMostSignificantBits());
                var nr = BitOperations.PopCount(isRising.ExtractMostSignificantBits());
                var nff = BitOperations.PopCount(isFreefall.ExtractMostSignificantBits());
                var nfa = BitOperations.PopCount((isFalling & ~isRising).ExtractMostSignificantBits());
                r += nr;
                ff += nff;
                fa += nfa;
                fl += nValid - nr - nff - nfa;
            }
        }
        for (; i < end; i++)
        {
            var rise = x[i + h] - x[i - h] + x[i] * 0;
            if (float.IsNaN(rise)) continue;
            if (rise >= rising) r++;
            else if (rise <= freefall) ff++;
            else if (rise <= falling) fa++;
            else fl++;
        }
        return (r, fl, fa, ff);
    }
}

/// <summary>Result of <see cref="VectorKernels.Sums"/>.</summary>
internal struct LevelKernelSums
{
    public double SumX, SumY, SumXY, SumYBoth;
    public int Both;
    public float Min, Max, MinX, MaxX, MinY, MaxY;
}
