using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NirsSync.Analysis;

/// <summary>
/// Exact percentiles by counting on a fixed grid: SmO2 on the 0.1 % grid (0-100 %, 1001 bins), tHb on
/// the 0.01 g/dL grid (0-40 g/dL, 4001 bins). Percentile q is the nearest-rank value: the smallest grid
/// value v with count(x &lt;= v) &gt;= ceil(q n). Counts merge by addition, so results never depend on order.
/// </summary>
internal static class Histogram
{
    public const int SmO2Bins = 1001;
    public const float SmO2Resolution = 10f;
    public const int THbBins = 4001;
    public const float THbResolution = 100f;

    public static int Bin(float value, float resolution) => (int)(value * resolution + 0.5f);

    /// <summary>Adds one to a[binsA[i]] and b[binsB[i]] for every i (the spans have the same length; bins are in range).</summary>
    public static void CountBoth(ReadOnlySpan<int> binsA, int[] a, ReadOnlySpan<int> binsB, int[] b)
    {
        if (binsB.Length != binsA.Length) throw new ArgumentException("bin spans differ in length", nameof(binsB));
        ref var ra = ref MemoryMarshal.GetReference(binsA);
        ref var rb = ref MemoryMarshal.GetReference(binsB);
        var ha = a.AsSpan();
        var hb = b.AsSpan();
        for (var i = 0; i < binsA.Length; i++)
        {
            ha[Unsafe.Add(ref ra, i)]++;
            hb[Unsafe.Add(ref rb, i)]++;
        }
    }

    /// <summary>Three percentiles (q ascending) of counts with <paramref name="total"/> samples, in grid units.</summary>
    /// <remarks>
    /// Blocks of 16 bins whose counts keep the running total below the next rank sought are passed by
    /// their sum (a branch per bin mispredicts on sparse lap histograms); only the at most three blocks
    /// where a rank is reached are walked bin by bin.
    /// </remarks>
    public static (int A, int B, int C) Percentiles(ReadOnlySpan<int> counts, long total, double qa, double qb, double qc)
    {
        long ra = Rank(qa, total), rb = Rank(qb, total), rc = Rank(qc, total);
        int a = -1, b = -1, c = -1;
        long cum = 0;
        const int block = 16;
        ref var r = ref MemoryMarshal.GetReference(counts);
        var i = 0;
        while (i < counts.Length)
        {
            if (Vector256.IsHardwareAccelerated && i + block <= counts.Length)
            {
                var next = a < 0 ? ra : b < 0 ? rb : rc;
                var sum = Vector256.Sum(Vector256.LoadUnsafe(ref r, (nuint)i) + Vector256.LoadUnsafe(ref r, (nuint)(i + 8)));
                if (cum + sum < next)
                {
                    cum += sum;
                    i += block;
                    continue;
                }
            }
            // Walk this block (or the tail) bin by bin until a rank is reached; then look at blocks again.
            var end = Math.Min(counts.Length, i + block);
            for (; i < end; i++)
            {
                cum += counts[i];
                if (a < 0 && cum >= ra) a = i;
                if (b < 0 && cum >= rb) b = i;
                if (cum >= rc) return (a, b, i);
            }
        }
        return (a, b, c);
    }

    private static long Rank(double q, long total) => Math.Max(1, (long)Math.Ceiling(q * total - 1e-9));
}
