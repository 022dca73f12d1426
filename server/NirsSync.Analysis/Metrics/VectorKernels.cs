using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NirsSync.Analysis;

/// <summary>SIMD kernels of the hot per-sample passes (Vector256 with a scalar tail; scalar when not accelerated).</summary>
internal static class VectorKernels
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
                vmin = Vector256.Min(vmin, Vector256.ConditionalSelect(mOk, m, inf));
                vmax = Vector256.Max(vmax, Vector256.ConditionalSelect(mOk, m, ninf));
                vminX = Vector256.Min(vminX, Vector256.ConditionalSelect(okA, a, inf));
                vmaxX = Vector256.Max(vmaxX, Vector256.ConditionalSelect(okA, a, ninf));
                vminY = Vector256.Min(vminY, Vector256.ConditionalSelect(okB, b, inf));
                vmaxY = Vector256.Max(vmaxY, Vector256.ConditionalSelect(okB, b, ninf));
            }
            r.SumX = Vector256.Sum(vx);
            r.SumY = Vector256.Sum(vy);
            r.SumXY = Vector256.Sum(vxy);
            r.SumYBoth = Vector256.Sum(vyb);
            for (var k = 0; k < Vector256<float>.Count; k++)
            {
                r.Min = MathF.Min(r.Min, vmin.GetElement(k));
                r.Max = MathF.Max(r.Max, vmax.GetElement(k));
                r.MinX = MathF.Min(r.MinX, vminX.GetElement(k));
                r.MaxX = MathF.Max(r.MaxX, vmaxX.GetElement(k));
                r.MinY = MathF.Min(r.MinY, vminY.GetElement(k));
                r.MaxY = MathF.Max(r.MaxY, vmaxY.GetElement(k));
            }
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

    /// <summary>
    /// Cumulative power-band totals without branches: index 0 over rows with valid power, index j + 1
    /// over rows with power &gt;= edges[j]: rows, rows with valid x, and the sum of valid x. A band's
    /// totals are the difference of neighbouring indices.
    /// </summary>
    public static void AtLeast(ReadOnlySpan<float> power, ReadOnlySpan<float> x, ReadOnlySpan<float> edges, Span<long> rows,
        Span<long> counts, Span<double> sums)
    {
        var m = edges.Length + 1;
        rows[..m].Clear(); counts[..m].Clear(); sums[..m].Clear();
        var i = 0;
        if (Vector256.IsHardwareAccelerated && m <= 32)
        {
            Span<Vector256<double>> acc = stackalloc Vector256<double>[m];
            acc.Clear();
            Span<Vector256<float>> e = stackalloc Vector256<float>[m];
            for (var j = 1; j < m; j++) e[j] = Vector256.Create(edges[j - 1]);
            ref var pr = ref MemoryMarshal.GetReference(power);
            ref var xr = ref MemoryMarshal.GetReference(x);
            for (; i <= power.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var w = Vector256.LoadUnsafe(ref pr, (nuint)i);
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var okW = Vector256.Equals(w, w);
                var okV = Vector256.Equals(v, v);
                for (var j = 0; j < m; j++)
                {
                    var mask = j == 0 ? okW : Vector256.GreaterThanOrEqual(w, e[j]);
                    var mv = mask & okV;
                    rows[j] += BitOperations.PopCount(mask.ExtractMostSignificantBits());
                    counts[j] += BitOperations.PopCount(mv.ExtractMostSignificantBits());
                    var (lo, hi) = Vector256.Widen(v & mv);
                    acc[j] += lo + hi;
                }
            }
            for (var j = 0; j < m; j++) sums[j] = Vector256.Sum(acc[j]);
        }
        for (; i < power.Length; i++)
        {
            var w = power[i];
            if (float.IsNaN(w)) continue;
            var v = x[i];
            for (var j = 0; j < m; j++)
            {
                if (j > 0 && !(w >= edges[j - 1])) break;
                rows[j]++;
                if (float.IsNaN(v)) continue;
                counts[j]++;
                sums[j] += v;
            }
        }
    }
}

/// <summary>Result of <see cref="VectorKernels.Sums"/>.</summary>
internal struct LevelKernelSums
{
    public double SumX, SumY, SumXY, SumYBoth;
    public int Both;
    public float Min, Max, MinX, MaxX, MinY, MaxY;
}
