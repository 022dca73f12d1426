using FsCheck.Xunit;

namespace NirsSync.Analysis.Tests;

/// <summary>The SIMD kernels against plain loops, on lengths that exercise both the vector body and the tail.</summary>
public class KernelTests
{
    private static float[] Values(int seed, int length)
    {
        var rng = new Random(seed);
        var specials = new[] { 0f, float.NaN, 102.3f, 40.95f, -1f, 100f, 40f };
        return Enumerable.Range(0, length).Select(_ => rng.NextDouble() < 0.2
            ? specials[rng.Next(specials.Length)]
            : (float)Math.Round(rng.NextDouble() * 110, 1)).ToArray();
    }

    [Property(MaxTest = 100)]
    public bool ClampValid_matches_a_plain_loop(int seed, byte length)
    {
        var x = Values(seed, length);
        var y = new float[length];
        var (zeros, oor) = VectorKernels.ClampValid(x, y, 100f);
        int z = 0, o = 0;
        for (var i = 0; i < length; i++)
        {
            var ok = x[i] > 0 && x[i] <= 100;
            if (ok ? y[i] != x[i] : !float.IsNaN(y[i])) return false;
            if (x[i] == 0) z++; else if (!ok && !float.IsNaN(x[i])) o++;
        }
        return zeros == z && oor == o;
    }

    [Property(MaxTest = 100)]
    public bool Dropouts_and_valid_counts_match_a_plain_loop(int seed, byte length)
    {
        var x = Values(seed, length).Select(v => v is > 0 and <= 100 ? v : float.NaN).ToArray();
        int dropouts = 0, valid = 0;
        bool seen = false, gap = false;
        foreach (var v in x)
        {
            if (float.IsNaN(v)) { gap = true; continue; }
            valid++;
            if (gap && seen) dropouts++;
            seen = true;
            gap = false;
        }
        return VectorKernels.Dropouts(x) == dropouts && VectorKernels.CountValid(x) == valid;
    }

    [Property(MaxTest = 100)]
    public bool Zones_match_a_plain_loop(int seed, byte length, byte window)
    {
        var x = Values(seed, length + 20).Select(v => v is > 0 and <= 100 ? v : float.NaN).ToArray();
        var h = 1 + window % 8;
        float r = 0.5f, fa = -0.5f, ff = -5f;
        long rising = 0, flat = 0, falling = 0, freefall = 0;
        for (var i = h; i < x.Length - h; i++)
        {
            var rise = x[i + h] - x[i - h];
            if (float.IsNaN(rise) || float.IsNaN(x[i])) continue;
            if (rise >= r) rising++;
            else if (rise <= ff) freefall++;
            else if (rise <= fa) falling++;
            else flat++;
        }
        return VectorKernels.Zones(x, h, r, fa, ff) == (rising, flat, falling, freefall);
    }

    [Property(MaxTest = 100)]
    public bool Power_band_totals_match_assigning_each_row_to_its_band(int seed, ushort length)
    {
        var n = length % 3000;
        var rng = new Random(seed);
        var power = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.1 ? float.NaN : (float)Math.Round(rng.NextDouble() * 500)).ToArray();
        var x = Values(seed + 1, n).Select(v => v is > 0 and <= 100 ? v : float.NaN).ToArray();
        double[] edges = [100, 150, 200, 250];
        // Two laps splitting the rows: each lap's rows per band are counted at build time.
        var ts = Enumerable.Range(0, n).Select(i => (uint)(1000 + i)).ToArray();
        var frame = new RideFrame(ts, power, [], [new RideLap(1000, (uint)(1000 + n / 2 - 1)), new RideLap((uint)(1000 + n / 2), (uint)(1000 + n))]);
        var laps = new LapRanges(frame, n, regular: true, []);
        using var index = PowerBandIndex.Build(power, edges, laps);
        if (index.Bands != 5) return false;
        for (var l = 0; l < laps.Count; l++)
            for (var b = 0; b < 5; b++)
            {
                var expected = 0;
                for (var i = laps.A[l]; i < laps.B[l]; i++) if (!float.IsNaN(power[i]) && edges.Count(e => power[i] >= e) == b) expected++;
                if (index.RowsInLap(l)[b] != expected) return false;
            }
        var counts = new int[6];
        var sums = new double[6];
        index.ValidByBand(x, 0, n, counts, sums);
        for (var b = 0; b < 5; b++)
        {
            var expectedRows = 0;
            long c = 0;
            double sum = 0;
            for (var i = 0; i < n; i++)
            {
                if (float.IsNaN(power[i])) continue;
                var band = edges.Count(e => power[i] >= e);
                if (band != b) continue;
                expectedRows++;
                if (float.IsNaN(x[i])) continue;
                c++;
                sum += x[i];
            }
            long gotC = counts[b];
            var gotSum = sums[b];
            if (index.Rows(b) != expectedRows || gotC != c || Math.Abs(gotSum - sum) > 1e-9 * Math.Max(1, Math.Abs(sum)))
                return false;
        }
        return true;
    }
}

public class BandCountTests
{
    [Property(MaxTest = 100)]
    public bool Rows_per_band_match_a_plain_count(int seed, ushort length, byte bands)
    {
        var rng = new Random(seed);
        var m = 1 + bands % 12;
        // Runs of one band, as power gives them.
        var band = new int[length % 3000];
        for (var i = 0; i < band.Length; i++) band[i] = i > 0 && rng.NextDouble() < 0.8 ? band[i - 1] : rng.Next(m);
        var counts = new int[m];
        PowerBandIndex.CountBands(band, counts);
        return Enumerable.Range(0, m).All(b => counts[b] == band.Count(x => x == b));
    }
}

public class FrozenRunTests
{
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Strided_frozen_scan_equals_the_row_by_row_scan(int seed, byte length, byte frozen, bool withTHb)
    {
        var rng = new Random(seed);
        var n = length + 1;
        var s = new float[n];
        var t = new float[n];
        var level = 60f;
        for (var i = 0; i < n; i++)
        {
            // Long flat stretches, short ones, NaN rows.
            if (rng.NextDouble() < 0.08) level = (float)Math.Round(40 + rng.NextDouble() * 40, 1);
            s[i] = rng.NextDouble() < 0.05 ? float.NaN : rng.NextDouble() < 0.2 ? level + 0.1f : level;
            t[i] = rng.NextDouble() < 0.03 ? 12.1f : 12f;
        }
        var seconds = 4 + frozen % 40;
        var ts = Enumerable.Range(0, n).Select(i => (uint)(1000 + i)).ToArray();
        float[] s1 = (float[])s.Clone(), t1 = withTHb ? (float[])t.Clone() : Enumerable.Repeat(float.NaN, n).ToArray();
        float[] s2 = (float[])s1.Clone(), t2 = (float[])t1.Clone();
        var a = SignalCleaner.RemoveFrozenGeneral(ts, s1, t1, true, withTHb, seconds);
        var b = SignalCleaner.RemoveFrozenRegular(s2, t2, true, withTHb, seconds);
        return a == b && s1.SequenceEqual(s2) && t1.SequenceEqual(t2);
    }
}
