using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NirsSync.Analysis;

/// <summary>What a prefix sum adds up per row.</summary>
internal interface IPrefixTerm
{
    static abstract double Of(float v);

    /// <summary>The same for four values at once.</summary>
    static abstract Vector256<double> Of(Vector128<float> v);
}

/// <summary>The value where it is valid, 0 where it is NaN.</summary>
internal readonly struct ValidValue : IPrefixTerm
{
    public static double Of(float v) => float.IsNaN(v) ? 0 : v;

    public static Vector256<double> Of(Vector128<float> v) => Vector256.WidenLower((v & Vector128.Equals(v, v)).ToVector256Unsafe());
}

/// <summary>1 where the value is valid, 0 where it is NaN (a count kept as a double, exact below 2^53).</summary>
internal readonly struct ValidCount : IPrefixTerm
{
    public static double Of(float v) => float.IsNaN(v) ? 0 : 1;

    public static Vector256<double> Of(Vector128<float> v) =>
        Vector256.WidenLower((Vector128<float>.One & Vector128.Equals(v, v)).ToVector256Unsafe());
}

/// <summary>Prefix sums and the wide centred moving mean built on them (the harmony's detrending).</summary>
internal static partial class VectorKernels
{
    /// <summary>
    /// p[0] = 0 and p[k + 1] = p[k] + term(x[k]), so the sum over rows [a, b) is p[b] - p[a].
    /// A running sum waits on the previous addition every row, so four stretches of the rows are summed side
    /// by side and each stretch is then shifted by the totals before it: the rounding is that of summing each
    /// stretch on its own, which differs from one running sum only in the last bits.
    /// </summary>
    public static void Prefix<T>(ReadOnlySpan<float> x, Span<double> p) where T : IPrefixTerm
    {
        var n = x.Length;
        if (p.Length < n + 1) throw new ArgumentException($"prefix needs {n + 1} slots, has {p.Length}", nameof(p));
        p[0] = 0;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var pr = ref Unsafe.Add(ref MemoryMarshal.GetReference(p), 1); // pr[k] = p[k + 1]
        if (n < 64)
        {
            double s = 0;
            for (var i = 0; i < n; i++) Unsafe.Add(ref pr, i) = s += T.Of(Unsafe.Add(ref xr, i));
            return;
        }
        if (Avx2.IsSupported) PrefixAvx2<T>(x, p);
        else PrefixStretches<T>(x, p);
    }

    /// <summary><see cref="Prefix{T}"/> without vectors: four running sums side by side (n &gt;= 64).</summary>
    internal static void PrefixStretches<T>(ReadOnlySpan<float> x, Span<double> p) where T : IPrefixTerm
    {
        var n = x.Length;
        p[0] = 0;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var pr = ref Unsafe.Add(ref MemoryMarshal.GetReference(p), 1);
        // Stretch k covers rows [k len, (k + 1) len); the fourth is `last` rows long (len - 3 <= last <= len).
        var len = (n + 3) / 4;
        var last = n - 3 * len;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var j = 0;
        for (; j < last; j++)
        {
            Unsafe.Add(ref pr, j) = s0 += T.Of(Unsafe.Add(ref xr, j));
            Unsafe.Add(ref pr, len + j) = s1 += T.Of(Unsafe.Add(ref xr, len + j));
            Unsafe.Add(ref pr, 2 * len + j) = s2 += T.Of(Unsafe.Add(ref xr, 2 * len + j));
            Unsafe.Add(ref pr, 3 * len + j) = s3 += T.Of(Unsafe.Add(ref xr, 3 * len + j));
        }
        for (; j < len; j++)
        {
            Unsafe.Add(ref pr, j) = s0 += T.Of(Unsafe.Add(ref xr, j));
            Unsafe.Add(ref pr, len + j) = s1 += T.Of(Unsafe.Add(ref xr, len + j));
            Unsafe.Add(ref pr, 2 * len + j) = s2 += T.Of(Unsafe.Add(ref xr, 2 * len + j));
        }
        var shifted = p.Slice(1);
        TensorPrimitives.Add(shifted.Slice(len, len), s0, shifted.Slice(len, len));
        TensorPrimitives.Add(shifted.Slice(2 * len, len), s0 + s1, shifted.Slice(2 * len, len));
        TensorPrimitives.Add(shifted.Slice(3 * len, last), s0 + s1 + s2, shifted.Slice(3 * len, last));
    }

    /// <summary>
    /// <see cref="Prefix{T}"/> four rows at a time: within a vector the sums are a two-step scan
    /// ([a, a+b, b+c, c+d], then adding the pair two lanes down), plus the running total carried from the
    /// vector before. The carry is a chain through every vector, so four stretches are again scanned side
    /// by side and shifted by the totals before them at the end.
    /// </summary>
    internal static void PrefixAvx2<T>(ReadOnlySpan<float> x, Span<double> p) where T : IPrefixTerm
    {
        var n = x.Length;
        p[0] = 0;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var pr = ref Unsafe.Add(ref MemoryMarshal.GetReference(p), 1); // pr[k] = p[k + 1]
        // Stretches of len rows (a multiple of 4); the fourth holds the rest (at least n / 4 - 9 > 0 rows for n >= 64).
        var len = (n + 15) / 16 * 4;
        var last = n - 3 * len;
        Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
        var j = 0;
        for (; j + 4 <= last; j += 4)
        {
            c0 = ScanStore<T>(ref xr, ref pr, j, c0);
            c1 = ScanStore<T>(ref xr, ref pr, len + j, c1);
            c2 = ScanStore<T>(ref xr, ref pr, 2 * len + j, c2);
            c3 = ScanStore<T>(ref xr, ref pr, 3 * len + j, c3);
        }
        for (var k = j; k < len; k += 4)
        {
            c0 = ScanStore<T>(ref xr, ref pr, k, c0);
            c1 = ScanStore<T>(ref xr, ref pr, len + k, c1);
            c2 = ScanStore<T>(ref xr, ref pr, 2 * len + k, c2);
        }
        var s3 = c3.ToScalar();
        for (var k = 3 * len + j; k < n; k++) Unsafe.Add(ref pr, k) = s3 += T.Of(Unsafe.Add(ref xr, k));
        var shifted = p.Slice(1);
        double s0 = c0.ToScalar(), s1 = c1.ToScalar(), s2 = c2.ToScalar();
        TensorPrimitives.Add(shifted.Slice(len, len), s0, shifted.Slice(len, len));
        TensorPrimitives.Add(shifted.Slice(2 * len, len), s0 + s1, shifted.Slice(2 * len, len));
        TensorPrimitives.Add(shifted.Slice(3 * len, last), s0 + s1 + s2, shifted.Slice(3 * len, last));
    }

    /// <summary>Scans rows [i, i + 4) onto the carried total (in every lane), stores them, returns the new total in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ScanStore<T>(ref float xr, ref double pr, int i, Vector256<double> carry) where T : IPrefixTerm
    {
        var v = T.Of(Vector128.LoadUnsafe(ref xr, (nuint)i));
        // [0, a, b, c] then [a, a+b, b+c, c+d]; [0, 0, a, a+b] then [a, a+b, a+b+c, a+b+c+d].
        var t = v + Avx.Blend(Avx2.Permute4x64(v, 0b10_01_00_00), Vector256<double>.Zero, 0b0001);
        t += Avx2.Permute2x128(t, t, 0x08);
        var sums = t + carry;
        sums.StoreUnsafe(ref pr, (nuint)i);
        return Avx2.Permute4x64(sums, 0b11_11_11_11);
    }

    /// <summary>
    /// d = x - m where x is valid, 0 where x is NaN, with m the mean of the valid x over rows [i - h, i + h]
    /// (clipped at the ends), from prefix sums of the valid values (<paramref name="sums"/>) and of their
    /// number (<paramref name="counts"/>; empty when no row is missing). m is rounded to float before the
    /// subtraction; each row is computed the same way in the vector body and at the ends.
    /// </summary>
    public static void DetrendRegular(ReadOnlySpan<float> x, ReadOnlySpan<double> sums, ReadOnlySpan<double> counts, int h, Span<float> d)
    {
        var n = x.Length;
        var dense = counts.IsEmpty;
        var i = 0;
        // Rows whose window is clipped at the start, then the vector body, then the rest.
        var bodyStart = Math.Min(h, n);
        for (; i < bodyStart; i++) d[i] = DetrendRow(x, sums, counts, dense, h, i);
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            ref var sr = ref MemoryMarshal.GetReference(sums);
            ref var cr = ref MemoryMarshal.GetReference(counts);
            ref var dr = ref MemoryMarshal.GetReference(d);
            var full = Vector256.Create((double)(2 * h + 1));
            const int width = 2 * 4; // two double vectors narrow to one float vector of 8 rows
            for (; i + width + h <= n; i += width)
            {
                // Rows i .. i + 7: window sums p[i + h + 1 ..] - p[i - h ..].
                nuint hi = (nuint)(i + h + 1), lo = (nuint)(i - h);
                var sLo = Vector256.LoadUnsafe(ref sr, hi) - Vector256.LoadUnsafe(ref sr, lo);
                var sHi = Vector256.LoadUnsafe(ref sr, hi + 4) - Vector256.LoadUnsafe(ref sr, lo + 4);
                Vector256<double> cLo = full, cHi = full;
                if (!dense)
                {
                    cLo = Vector256.LoadUnsafe(ref cr, hi) - Vector256.LoadUnsafe(ref cr, lo);
                    cHi = Vector256.LoadUnsafe(ref cr, hi + 4) - Vector256.LoadUnsafe(ref cr, lo + 4);
                }
                var mean = Vector256.Narrow(sLo / cLo, sHi / cHi);
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                Vector256.ConditionalSelect(Vector256.Equals(v, v), v - mean, Vector256<float>.Zero).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++) d[i] = DetrendRow(x, sums, counts, dense, h, i);
    }

    private static float DetrendRow(ReadOnlySpan<float> x, ReadOnlySpan<double> sums, ReadOnlySpan<double> counts, bool dense, int h, int i)
    {
        var v = x[i];
        if (float.IsNaN(v)) return 0;
        int lo = Math.Max(0, i - h), hi = Math.Min(x.Length, i + h + 1);
        var count = dense ? hi - lo : counts[hi] - counts[lo];
        return v - (float)((sums[hi] - sums[lo]) / count);
    }
}
