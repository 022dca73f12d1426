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
}
