using FsCheck.Xunit;

namespace NirsSync.Analysis.Tests;

/// <summary>The SIMD extremum searches of the effort kinetics against the scans they replace.</summary>
public class ExtremaKernelTests
{
    // Coarse values so ties are common; NaN rows, signed zeros and infinities to test the edges.
    private static float[] Values(int seed, int length)
    {
        var rng = new Random(seed);
        var specials = new[] { float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity };
        return Enumerable.Range(0, length).Select(_ => rng.NextDouble() < 0.15
            ? specials[rng.Next(specials.Length)]
            : (float)Math.Round(rng.NextDouble() * 8, 0)).ToArray();
    }

    private static int ScanFirst(float[] x, bool smallest)
    {
        var row = -1;
        for (var i = 0; i < x.Length; i++)
            if (!float.IsNaN(x[i]) && (row < 0 || (smallest ? x[i] < x[row] : x[i] > x[row]))) row = i;
        return row;
    }

    [Property(MaxTest = 300)]
    public bool First_minimum_and_maximum_match_a_plain_scan(int seed, byte length)
    {
        var x = Values(seed, length);
        return VectorKernels.IndexOfFirstMin(x) == ScanFirst(x, true) && VectorKernels.IndexOfFirstMax(x) == ScanFirst(x, false);
    }

    [Property(MaxTest = 100)]
    public bool All_missing_rows_have_no_extremum(byte length)
    {
        var x = Enumerable.Repeat(float.NaN, length).ToArray();
        return VectorKernels.IndexOfFirstMin(x) == -1 && VectorKernels.IndexOfFirstMax(x) == -1;
    }

    [Fact]
    public void First_of_tied_minima_past_the_vector_width_is_chosen()
    {
        var x = Enumerable.Range(0, 40).Select(i => 50f - (i % 17)).ToArray(); // 34 at rows 16 and 33
        x[3] = float.NaN;
        Assert.Equal(16, VectorKernels.IndexOfFirstMin(x));
        Assert.Equal(0, VectorKernels.IndexOfFirstMax(x));
    }
}

public class DetrendKernelTests
{
    [Property(MaxTest = 200)]
    public bool Detrended_rows_match_a_plain_loop(int seed, byte length)
    {
        var rng = new Random(seed);
        var x = Enumerable.Range(0, length).Select(_ => rng.NextDouble() < 0.2 ? float.NaN : (float)Math.Round(rng.NextDouble() * 100, 1)).ToArray();
        var trend = x.Select(v => float.IsNaN(v) ? float.NaN : v + (float)(rng.NextDouble() - 0.5)).ToArray();
        var d = new float[length];
        VectorKernels.Detrended(x, trend, d);
        for (var i = 0; i < length; i++)
        {
            var expected = float.IsNaN(x[i]) ? 0 : x[i] - trend[i];
            if (BitConverter.SingleToInt32Bits(d[i]) != BitConverter.SingleToInt32Bits(expected)) return false;
        }
        return true;
    }
}
