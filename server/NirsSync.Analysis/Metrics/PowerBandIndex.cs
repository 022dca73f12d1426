using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NirsSync.Analysis;

/// <summary>
/// Each row's power band, found once per ride and shared by its channels: band b is [edge b-1, edge b) W
/// (band 0 from 0, the last open); rows without valid power are in none. A channel's SmO2 by band is then
/// one pass adding each row to its band, instead of a pass per band edge.
/// </summary>
internal sealed class PowerBandIndex : IDisposable
{
    private readonly int[] _band; // per row, Bands for rows without valid power (rented)
    private readonly int _n;
    private readonly int[] _rows; // rows per band

    private readonly int[][] _lapRows; // rows per band (and "no power") in each lap

    private PowerBandIndex(int[] band, int n, int[] rows, IReadOnlyList<double> edges, int[][] lapRows)
    {
        _band = band;
        _n = n;
        _rows = rows;
        _lapRows = lapRows;
        Edges = edges;
    }

    public IReadOnlyList<double> Edges { get; }

    public int Bands => _rows.Length;

    /// <summary>Number of rows in band <paramref name="b"/>.</summary>
    public int Rows(int b) => _rows[b];

    /// <summary>Rows per band (Bands + 1, the last "no power") in lap <paramref name="i"/> of the ride's lap ranges.</summary>
    public ReadOnlySpan<int> RowsInLap(int i) => _lapRows[i];

    public static PowerBandIndex Build(ReadOnlySpan<float> power, IReadOnlyList<double> edges, LapRanges laps)
    {
        var n = power.Length;
        Span<float> e = stackalloc float[edges.Count];
        for (var j = 0; j < e.Length; j++) e[j] = (float)edges[j];
        var band = ArrayPool<int>.Shared.Rent(Math.Max(1, n));
        var rows = new int[edges.Count + 1];
        BandOf(power, e, band.AsSpan(0, n), rows);
        var lapRows = new int[laps.Count][];
        for (var l = 0; l < laps.Count; l++)
        {
            lapRows[l] = new int[rows.Length + 1];
            CountBands(band.AsSpan(laps.A[l], laps.B[l] - laps.A[l]), lapRows[l]);
        }
        return new PowerBandIndex(band, n, rows, edges, lapRows);
    }

    /// <summary>
    /// How many rows are in each band (counts.Length bands): every band compared with each vector of rows,
    /// since a table increment per row would wait on the one before whenever neighbouring rows share a band.
    /// </summary>
    internal static void CountBands(ReadOnlySpan<int> band, Span<int> counts)
    {
        counts.Clear();
        var i = 0;
        if (Vector256.IsHardwareAccelerated && counts.Length <= 64)
        {
            Span<Vector256<int>> lanes = stackalloc Vector256<int>[counts.Length];
            lanes.Clear();
            ref var br = ref MemoryMarshal.GetReference(band);
            for (; i <= band.Length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                var v = Vector256.LoadUnsafe(ref br, (nuint)i);
                for (var b = 0; b < lanes.Length; b++) lanes[b] -= Vector256.Equals(v, Vector256.Create(b));
            }
            for (var b = 0; b < lanes.Length; b++) counts[b] = Vector256.Sum(lanes[b]);
        }
        for (; i < band.Length; i++) counts[band[i]]++;
    }

    /// <summary>
    /// Band of each row: how many edges are at or below its power; edges.Length + 1 for NaN power.
    /// <paramref name="rows"/> (edges.Length + 1) receives the number of rows in each band.
    /// </summary>
    internal static void BandOf(ReadOnlySpan<float> power, ReadOnlySpan<float> edges, Span<int> band, Span<int> rows)
    {
        var none = edges.Length + 1;
        // atLeast[0]: rows with valid power; atLeast[j + 1]: rows with power >= edges[j]. Band b = atLeast[b] - atLeast[b + 1].
        Span<int> atLeast = stackalloc int[edges.Length + 2];
        atLeast.Clear();
        var i = 0;
        if (Vector256.IsHardwareAccelerated && edges.Length <= 32)
        {
            ref var pr = ref MemoryMarshal.GetReference(power);
            ref var br = ref MemoryMarshal.GetReference(band);
            var vNone = Vector256.Create(none);
            Span<Vector256<int>> lanes = stackalloc Vector256<int>[edges.Length + 1];
            lanes.Clear();
            for (; i <= power.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var w = Vector256.LoadUnsafe(ref pr, (nuint)i);
                var valid = Vector256.Equals(w, w).AsInt32();
                var b = Vector256<int>.Zero;
                lanes[0] -= valid;
                // A true comparison lane is -1: subtracting it counts the edge.
                for (var j = 0; j < edges.Length; j++)
                {
                    var above = Vector256.GreaterThanOrEqual(w, Vector256.Create(edges[j])).AsInt32();
                    b -= above;
                    lanes[j + 1] -= above;
                }
                Vector256.ConditionalSelect(valid, b, vNone).StoreUnsafe(ref br, (nuint)i);
            }
            for (var j = 0; j < lanes.Length; j++) atLeast[j] = Vector256.Sum(lanes[j]);
        }
        for (; i < power.Length; i++)
        {
            var w = power[i];
            if (float.IsNaN(w)) { band[i] = none; continue; }
            var b = 0;
            foreach (var edge in edges) if (w >= edge) b++;
            band[i] = b;
            for (var j = 0; j <= b; j++) atLeast[j]++;
        }
        for (var b = 0; b < rows.Length; b++) rows[b] = atLeast[b] - atLeast[b + 1];
    }

    /// <summary>
    /// Over rows [<paramref name="from"/>, <paramref name="to"/>), per band (spans of Bands + 1; the last is
    /// "no power"): the number and the sum of the valid values of <paramref name="x"/>.
    /// </summary>
    public void ValidByBand(float[] x, int from, int to, Span<int> counts, Span<double> sums)
    {
        if (x.Length < _n) throw new ArgumentException($"signal has {x.Length} rows, the ride {_n}", nameof(x));
        if (from < 0 || to > _n || from > to) throw new ArgumentOutOfRangeException(nameof(to), $"rows [{from}, {to}) of {_n}");
        counts.Clear();
        sums.Clear();
        Totals(_band.AsSpan(from, to - from), x.AsSpan(from, to - from), counts, sums);
    }

    /// <summary>
    /// Per band: rows with a valid x and the sum of those x. Eight tables take rows in turn: neighbouring rows
    /// usually share a band, and with one table each addition would wait for the store of the one before.
    /// </summary>
    private static void Totals(ReadOnlySpan<int> band, ReadOnlySpan<float> x, Span<int> counts, Span<double> sums)
    {
        const int tables = 8;
        var m = counts.Length;
        Span<int> c = stackalloc int[tables * m];
        Span<double> s = stackalloc double[tables * m];
        c.Clear();
        s.Clear();
        var n = band.Length;
        ref var br = ref MemoryMarshal.GetReference(band);
        ref var cr = ref MemoryMarshal.GetReference(c);
        ref var sr = ref MemoryMarshal.GetReference(s);
        ref var xr = ref MemoryMarshal.GetReference(x);
        var i = 0;
        for (; i + tables <= n; i += tables)
        {
            ref var bi = ref Unsafe.Add(ref br, i);
            ref var xi = ref Unsafe.Add(ref xr, i);
            Add(ref cr, ref sr, bi, xi);
            Add(ref cr, ref sr, m + Unsafe.Add(ref bi, 1), Unsafe.Add(ref xi, 1));
            Add(ref cr, ref sr, 2 * m + Unsafe.Add(ref bi, 2), Unsafe.Add(ref xi, 2));
            Add(ref cr, ref sr, 3 * m + Unsafe.Add(ref bi, 3), Unsafe.Add(ref xi, 3));
            Add(ref cr, ref sr, 4 * m + Unsafe.Add(ref bi, 4), Unsafe.Add(ref xi, 4));
            Add(ref cr, ref sr, 5 * m + Unsafe.Add(ref bi, 5), Unsafe.Add(ref xi, 5));
            Add(ref cr, ref sr, 6 * m + Unsafe.Add(ref bi, 6), Unsafe.Add(ref xi, 6));
            Add(ref cr, ref sr, 7 * m + Unsafe.Add(ref bi, 7), Unsafe.Add(ref xi, 7));
        }
        for (; i < n; i++) Add(ref cr, ref sr, band[i], x[i]);
        for (var b = 0; b < m; b++)
        {
            var count = 0;
            double sum = 0;
            for (var t = 0; t < tables; t++)
            {
                count += c[t * m + b];
                sum += s[t * m + b];
            }
            counts[b] = count;
            sums[b] = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref int counts, ref double sums, int slot, float v)
    {
        // Branch-free: the count adds 0 or 1, the sum 0 or the value.
        var ok = !float.IsNaN(v);
        Unsafe.Add(ref counts, slot) += Unsafe.BitCast<bool, byte>(ok);
        Unsafe.Add(ref sums, slot) += ok ? v : 0;
    }

    public void Dispose() => ArrayPool<int>.Shared.Return(_band);
}
