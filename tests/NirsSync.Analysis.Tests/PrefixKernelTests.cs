using FsCheck.Xunit;

namespace NirsSync.Analysis.Tests;

/// <summary>Prefix sums, the wide detrending built on them, and the row-timing checks, against plain loops.</summary>
public class PrefixKernelTests
{
    private static float[] Signal(int seed, int length, double missing)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length)
            .Select(_ => rng.NextDouble() < missing ? float.NaN : (float)Math.Round(20 + rng.NextDouble() * 70, 1)).ToArray();
    }

    [Property(MaxTest = 200)]
    public bool Prefix_sums_equal_a_running_sum_to_rounding(int seed, ushort length)
    {
        var x = Signal(seed, length % 5000, 0.05);
        var p = new double[x.Length + 1];
        var q = new double[x.Length + 1];
        VectorKernels.Prefix<ValidValue>(x, p);
        VectorKernels.Prefix<ValidCount>(x, q);
        double s = 0, c = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (!float.IsNaN(x[i])) { s += x[i]; c++; }
            if (Math.Abs(p[i + 1] - s) > 1e-9 * Math.Max(1, s) || q[i + 1] != c) return false;
        }
        return p[0] == 0 && q[0] == 0;
    }

    [Property(MaxTest = 100)]
    public bool Scalar_and_vector_prefix_sums_both_equal_a_running_sum(int seed, ushort length)
    {
        var x = Signal(seed, 64 + length % 5000, 0.05);
        var running = new double[x.Length + 1];
        for (var i = 0; i < x.Length; i++) running[i + 1] = running[i] + (float.IsNaN(x[i]) ? 0 : x[i]);
        var scalar = new double[x.Length + 1];
        VectorKernels.PrefixStretches<ValidValue>(x, scalar);
        var close = scalar.Zip(running).All(t => Math.Abs(t.First - t.Second) <= 1e-9 * Math.Max(1, t.Second));
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return close;
        var vector = new double[x.Length + 1];
        VectorKernels.PrefixAvx2<ValidValue>(x, vector);
        return close && vector.Zip(running).All(t => Math.Abs(t.First - t.Second) <= 1e-9 * Math.Max(1, t.Second));
    }

    [Property(MaxTest = 200)]
    public bool Wide_detrending_equals_the_windowed_mean_row_by_row(int seed, ushort length, byte window, bool dense)
    {
        var n = length % 3000;
        var x = Signal(seed, n, dense ? 0 : 0.08);
        var h = window % 40;
        var sums = new double[n + 1];
        var counts = new double[n + 1];
        VectorKernels.Prefix<ValidValue>(x, sums);
        VectorKernels.Prefix<ValidCount>(x, counts);
        var d = new float[n];
        VectorKernels.DetrendRegular(x, sums, dense ? default : counts, h, d);
        for (var i = 0; i < n; i++)
        {
            if (float.IsNaN(x[i]))
            {
                if (d[i] != 0) return false;
                continue;
            }
            // Exactly the same arithmetic from the same prefix sums as the vector body.
            int lo = Math.Max(0, i - h), hi = Math.Min(n, i + h + 1);
            var expected = x[i] - (float)((sums[hi] - sums[lo]) / (counts[hi] - counts[lo]));
            if (BitConverter.SingleToInt32Bits(d[i]) != BitConverter.SingleToInt32Bits(expected)) return false;
            // And the definition: x minus the mean of the valid values in the window.
            var inWindow = x[lo..hi].Where(v => !float.IsNaN(v)).ToArray();
            if (Math.Abs(d[i] - (x[i] - inWindow.Average())) > 1e-4) return false;
        }
        return true;
    }

    [Property(MaxTest = 200)]
    public bool Row_timing_checks_match_plain_loops(byte length, byte flaw)
    {
        var ts = Enumerable.Range(0, length).Select(i => (uint)(1_000_000 + i)).ToArray();
        if (length > 2)
        {
            var at = 1 + flaw % (length - 1);
            // A repeated second, a one-second gap, or a step back.
            ts[at] = (flaw % 3) switch { 0 => ts[at - 1], 1 => ts[at] + 1, _ => ts[at - 1] - 1 };
            if (flaw % 3 == 1) for (var i = at + 1; i < length; i++) ts[i]++;
        }
        bool ones = true, order = true;
        for (var i = 1; i < ts.Length; i++)
        {
            ones &= ts[i] - ts[i - 1] == 1;
            order &= ts[i] >= ts[i - 1];
        }
        return VectorKernels.StepsAreOne(ts) == ones && VectorKernels.NeverDecreases(ts) == order;
    }

    [Fact]
    public void A_repeated_second_balanced_by_a_gap_is_not_regular_timing()
    {
        // 20 rows spanning 19 s, but row 5 repeats second 4 and second 12 is missing: rows are not one second apart.
        var ts = Enumerable.Range(0, 20).Select(i => (uint)(100 + i)).ToArray();
        for (var i = 5; i < 12; i++) ts[i] = (uint)(100 + i - 1);
        Assert.Equal(ts[^1] - ts[0], (uint)(ts.Length - 1));
        var timing = RideTiming.Of(ts);
        Assert.False(timing.Regular, "a span of n - 1 seconds alone does not make rows one second apart");
        Assert.Equal(2, timing.LongestGapS);
        Assert.Equal(12, ChannelAnalyzer.LowerBound(ts, ts.Length, 112, regular: false));
    }

    [Property(MaxTest = 100)]
    public bool Lower_bound_on_regular_rows_equals_the_binary_search(byte length, ushort offset)
    {
        var ts = Enumerable.Range(0, length).Select(i => (uint)(5000 + i)).ToArray();
        var t = (uint)(4900 + offset % 500);
        return ChannelAnalyzer.LowerBound(ts, ts.Length, t, regular: true) == ChannelAnalyzer.LowerBound(ts, ts.Length, t, regular: false);
    }
}

public class LagDotTests
{
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Cross_products_at_every_lag_equal_a_plain_loop(int seed, ushort length, byte lag, byte offset)
    {
        var rng = new Random(seed);
        var n = 1 + length % 2000;
        var a = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 10 - 5)).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 10 - 5)).ToArray();
        var maxLag = lag % 25;
        var from = Math.Min(n - 1, offset % 50);
        var to = Math.Max(from + 1, n - offset % 30);
        var dots = new double[2 * maxLag + 1];
        LagDots.Compute(a, b, from, to, maxLag, dots);
        for (var k = -maxLag; k <= maxLag; k++)
        {
            double expected = 0, scale = 0;
            for (var i = Math.Max(from, from - k); i < Math.Min(to, to - k); i++)
            {
                expected += (double)a[i] * b[i + k];
                scale += Math.Abs((double)a[i] * b[i + k]);
            }
            // Products are summed in float lanes: equal to within float rounding of the magnitudes summed.
            if (Math.Abs(dots[k + maxLag] - expected) > 1e-5 * Math.Max(1, scale)) return false;
        }
        return true;
    }
}

public class HarmonyMeasureTests
{
    [FsCheck.Xunit.Property(MaxTest = 100)]
    public bool Correlation_at_each_lag_follows_its_definition(int seed, ushort length, byte lag)
    {
        var rng = new Random(seed);
        var n = 30 + length % 1500;
        var a = new float[n];
        var b = new float[n];
        var shift = rng.Next(0, 6);
        for (var i = 0; i < n; i++)
        {
            a[i] = (float)Math.Sin(i / 7.0) + (float)(rng.NextDouble() - 0.5);
            b[i] = i >= shift ? a[i - shift] + (float)(rng.NextDouble() - 0.5) * 0.2f : 0;
            if (rng.NextDouble() < 0.05) a[i] = 0; // a missing row is 0 in the detrended signal
        }
        var maxLag = lag % 12;
        int from = rng.Next(0, 10), to = n - rng.Next(0, 10);
        var h = HarmonyAnalyzer.Measure(a, b, from, to, maxLag, 1);
        double? zero = null, best = null;
        var bestLag = 0;
        for (var k = -maxLag; k <= maxLag; k++)
        {
            int a0 = Math.Max(from, from - k), a1 = Math.Min(to, to - k);
            if (a1 - a0 < 10) continue;
            double dot = 0, na = 0, nb = 0;
            for (var i = a0; i < a1; i++)
            {
                dot += (double)a[i] * b[i + k];
                na += (double)a[i] * a[i];
                nb += (double)b[i + k] * b[i + k];
            }
            if (na <= 1e-9 || nb <= 1e-9) continue;
            var r = Math.Clamp(dot / Math.Sqrt(na * nb), -1, 1);
            if (k == 0) zero = r;
            if (best is null || r > best) { best = r; bestLag = k; }
        }
        if (best is null) return h.BestCorrelation is null;
        // Products are summed in float lanes: within 1e-4 of the definition, and the best lag is the same
        // unless two lags are that close.
        return Math.Abs(h.Correlation!.Value - zero!.Value) < 2e-4 && Math.Abs(h.BestCorrelation!.Value - best.Value) < 2e-4
            && (h.LagS == bestLag || Math.Abs(best.Value - h.BestCorrelation.Value) < 2e-4);
    }
}

public class KineticsKernelTests
{
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Slope_on_one_second_rows_equals_the_timed_regression(int seed, byte length)
    {
        var rng = new Random(seed);
        var x = Enumerable.Range(0, length).Select(i => rng.NextDouble() < 0.1 ? float.NaN : (float)(70 - 0.3 * i + rng.NextDouble())).ToArray();
        var ts = Enumerable.Range(0, length).Select(i => (uint)(5000 + i)).ToArray();
        var timed = EffortKinetics.Slope(ts, x, 0, length);
        var fast = VectorKernels.SlopeOnSeconds(x);
        var (sum, count) = VectorKernels.ValidSum(x);
        var valid = x.Where(v => !float.IsNaN(v)).ToArray();
        return (timed is null ? fast is null : fast is { } f && Math.Abs(f - timed.Value) <= 1e-9 * Math.Max(1, Math.Abs(timed.Value)))
            && count == valid.Length && Math.Abs(sum - valid.Sum(v => (double)v)) <= 1e-9 * Math.Max(1, Math.Abs(sum));
    }
}
