namespace NirsSync.Analysis;

/// <summary>SmO2 by power band for the ride and its laps.</summary>
internal static partial class ChannelAnalyzer
{
    /// <summary>
    /// SmO2 by power band for the ride and (into <paramref name="lapBands"/>) each lap, the lap lists holding the
    /// bands it has rows in. Laps that follow one another are summed once and added up with the rows between
    /// them for the ride; overlapping laps are summed on their own.
    /// </summary>
    internal static PowerBandStat[] PowerBands(PowerBandIndex index, float[] smo2, int n, LapRanges laps, double interval,
        PowerBandStat[][] lapBands)
    {
        var m = index.Bands + 1;
        Span<int> counts = stackalloc int[m];
        Span<double> sums = stackalloc double[m];
        Span<int> rideCounts = stackalloc int[m];
        Span<double> rideSums = stackalloc double[m];
        rideCounts.Clear();
        rideSums.Clear();
        var cursor = 0;
        for (var i = 0; i < laps.Count; i++)
        {
            index.ValidByBand(smo2, laps.A[i], laps.B[i], counts, sums);
            lapBands[i] = BandStats(index.Edges, index.RowsInLap(i), counts, sums, interval, occupiedOnly: true);
            if (!laps.Ordered) continue;
            if (cursor < laps.A[i]) AddRange(index, smo2, cursor, laps.A[i], rideCounts, rideSums);
            Add(counts, sums, rideCounts, rideSums);
            cursor = laps.B[i];
        }
        if (!laps.Ordered) cursor = 0;
        if (cursor < n) AddRange(index, smo2, cursor, n, rideCounts, rideSums);
        Span<int> rideRows = stackalloc int[m];
        for (var b = 0; b < index.Bands; b++) rideRows[b] = index.Rows(b);
        return BandStats(index.Edges, rideRows, rideCounts, rideSums, interval, occupiedOnly: false);

        static void AddRange(PowerBandIndex index, float[] x, int from, int to, Span<int> c, Span<double> s)
        {
            Span<int> counts = stackalloc int[c.Length];
            Span<double> sums = stackalloc double[c.Length];
            index.ValidByBand(x, from, to, counts, sums);
            Add(counts, sums, c, s);
        }

        static void Add(ReadOnlySpan<int> counts, ReadOnlySpan<double> sums, Span<int> c, Span<double> s)
        {
            for (var b = 0; b < c.Length; b++)
            {
                c[b] += counts[b];
                s[b] += sums[b];
            }
        }
    }

    private static PowerBandStat[] BandStats(IReadOnlyList<double> edges, ReadOnlySpan<int> rows, ReadOnlySpan<int> counts,
        ReadOnlySpan<double> sums, double interval, bool occupiedOnly)
    {
        var k = edges.Count + 1;
        var listed = 0;
        for (var b = 0; b < k; b++) if (!occupiedOnly || rows[b] > 0) listed++;
        var result = new PowerBandStat[listed];
        var j = 0;
        for (var b = 0; b < k; b++)
        {
            if (occupiedOnly && rows[b] == 0) continue;
            result[j++] = new PowerBandStat(b == 0 ? 0 : edges[b - 1], b < edges.Count ? edges[b] : null, rows[b] * interval,
                counts[b] > 0 ? Round(sums[b] / counts[b], 3) : null);
        }
        return result;
    }
}
