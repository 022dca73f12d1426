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

    /// <summary>
    /// Three percentiles over the occupied bins [lo, hi], in grid units, then clears those bins so the
    /// histogram is zero again without touching the rest.
    /// </summary>
    public static (int A, int B, int C) PercentilesAndClear(Span<int> counts, int lo, int hi, long total, double qa, double qb, double qc)
    {
        var slice = counts.Slice(lo, hi - lo + 1);
        var (a, b, c) = Percentiles(slice, total, qa, qb, qc);
        slice.Clear();
        return (a + lo, b + lo, c + lo);
    }

    /// <summary>Three percentiles (q ascending) of counts with <paramref name="total"/> samples, in grid units.</summary>
    public static (int A, int B, int C) Percentiles(ReadOnlySpan<int> counts, long total, double qa, double qb, double qc)
    {
        long ra = Rank(qa, total), rb = Rank(qb, total), rc = Rank(qc, total);
        int a = -1, b = -1, c = -1;
        long cum = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0) continue;
            cum += counts[i];
            if (a < 0 && cum >= ra) a = i;
            if (b < 0 && cum >= rb) b = i;
            if (cum >= rc) { c = i; break; }
        }
        return (a, b, c);
    }

    private static long Rank(double q, long total) => Math.Max(1, (long)Math.Ceiling(q * total - 1e-9));
}
