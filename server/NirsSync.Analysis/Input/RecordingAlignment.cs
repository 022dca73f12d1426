namespace NirsSync.Analysis;

/// <summary>
/// The offset that puts a second recording's SmO2 on a ride's clock, found by cross-correlation.
/// </summary>
/// <param name="OffsetS">Seconds to add to the other recording's timestamps (the clock placement plus the lag found).</param>
/// <param name="Correlation">Pearson correlation at the best lag (-1..1).</param>
/// <param name="Pairs">Number of seconds both signals had at the best lag.</param>
/// <param name="Refined">
/// True when the correlation peak is trusted (correlation at least <see cref="RecordingAlignment.MinCorrelation"/>,
/// at least <see cref="RecordingAlignment.MinPairs"/> seconds, not on the edge of the search window); false
/// when the clock placement (offset 0) stands.
/// </param>
public sealed record AlignmentResult(double OffsetS, double Correlation, int Pairs, bool Refined);

/// <summary>
/// Refines the clock placement of a sensor recording against a ride's power. Desaturation follows power,
/// so the rate at which SmO2 falls (the negative derivative of the recording's mean SmO2) is correlated with
/// the rate at which power rises, for every whole-second lag within ±<c>maxLagS</c>; the best lag is then
/// refined to a fraction of a second by a parabola through the peak and its neighbours. Both derivatives
/// are central differences over ±<see cref="DerivativeHalfWidthS"/> s, which also smooths the sensor's noise.
/// The muscle answers a power change late (a time delay, then first-order kinetics): the correlation peak
/// puts the steepest desaturation on the power change, which would shift the recording early by that
/// response. <see cref="AssumedResponseLagS"/> adds it back for a typical vastus lateralis (see
/// docs/sensor-exports.md for the measured errors and how they change with the muscle's response).
/// </summary>
public static class RecordingAlignment
{
    public const double DefaultMaxLagS = 120;
    public const int DerivativeHalfWidthS = 5;
    public const double MinCorrelation = 0.2;
    public const int MinPairs = 120;

    /// <summary>
    /// The longest stretch of the common time the correlation looks at, seconds (7 days, longer than any ride a
    /// sensor export is joined to). The grids are built only where the two recordings can meet (their overlap
    /// widened by the lag window), and at most this long, so that a ride whose records span years (a wrong clock, a
    /// hostile file) costs memory by the overlap, not by its span.
    /// </summary>
    public const int MaxWindowS = 7 * 86_400;

    /// <summary>
    /// Seconds from a power change to the correlation peak of the SmO2 fall for a muscle with a 3 s time delay
    /// and a 15 s time constant (mean response time 18 s, the vastus lateralis's 18 ± 6 s in heavy cycling,
    /// Koga et al. 2017), measured on generated rides: 8.5 s.
    /// </summary>
    public const double AssumedResponseLagS = 8.5;

    /// <summary>
    /// The offset for <paramref name="other"/> against <paramref name="ride"/>, both placed on the same
    /// clock by their timestamps; null when the ride has no power or the other recording no SmO2.
    /// </summary>
    public static AlignmentResult? Refine(RideFrame ride, RideFrame other, double maxLagS = DefaultMaxLagS)
    {
        ArgumentNullException.ThrowIfNull(ride);
        ArgumentNullException.ThrowIfNull(other);
        if (!(maxLagS >= 0)) throw new ArgumentOutOfRangeException(nameof(maxLagS), maxLagS, "the lag window must be zero or more seconds");
        ride = ride.InTimeOrder();
        other = other.InTimeOrder();
        if (ride.Power is null || ride.Count < 2 || other.Count < 2) return null;
        var smo2 = MeanSmO2(other);
        if (smo2 is null) return null;

        var maxLag = (int)Math.Min(Math.Floor(maxLagS), MaxWindowS);
        // Each grid covers only the seconds that can meet the other recording at some lag (the derivative's half
        // width beyond): identical correlations to grids over both whole spans, at the cost of the overlap.
        long reach = maxLag + DerivativeHalfWidthS;
        long rFirst = ride.Timestamp[0], rLast = ride.Timestamp[ride.Count - 1];
        long oFirst = other.Timestamp[0], oLast = other.Timestamp[other.Count - 1];
        var r0 = Math.Max(rFirst, oFirst - reach);
        var rEnd = Math.Min(Math.Min(rLast, oLast + reach), r0 + MaxWindowS);
        var o0 = Math.Max(oFirst, rFirst - reach);
        var oEnd = Math.Min(Math.Min(oLast, rLast + reach), o0 + MaxWindowS);
        if (rEnd < r0 || oEnd < o0) return new AlignmentResult(0, double.NaN, 0, false);
        var power = OnGrid(ride.Timestamp, ride.Power, ride.Count, r0, (int)(rEnd - r0) + 1);
        var oxygen = OnGrid(other.Timestamp, smo2, other.Count, o0, (int)(oEnd - o0) + 1);
        var dp = Derivative(power, 1);
        var ds = Derivative(oxygen, -1);
        var start = o0 - r0; // ride grid index of the other grid's first second at lag 0
        var scores = new double[2 * maxLag + 1];
        var pairs = new int[2 * maxLag + 1];
        var best = -1;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            var k = lag + maxLag;
            (scores[k], pairs[k]) = Pearson(dp, ds, start + lag);
            if (pairs[k] >= MinPairs && double.IsFinite(scores[k]) && (best < 0 || scores[k] > scores[best])) best = k;
        }
        if (best < 0) return new AlignmentResult(0, double.NaN, pairs.Max(), false);
        double fraction = 0;
        if (best > 0 && best < scores.Length - 1 && pairs[best - 1] >= MinPairs && pairs[best + 1] >= MinPairs)
        {
            var (a, b, c) = (scores[best - 1], scores[best], scores[best + 1]);
            var denominator = a - 2 * b + c;
            if (denominator < 0) fraction = Math.Clamp(0.5 * (a - c) / denominator, -0.5, 0.5);
        }
        var offset = best - maxLag + fraction + AssumedResponseLagS;
        var onEdge = maxLag > 0 && (best == 0 || best == scores.Length - 1);
        var trusted = scores[best] >= MinCorrelation && !onEdge;
        return new AlignmentResult(trusted ? Math.Round(offset, 2) : 0, Math.Round(scores[best], 4), pairs[best], trusted);
    }

    /// <summary>The mean of the recording's SmO2 columns per row (NaN where none has a value); null without SmO2.</summary>
    private static float[]? MeanSmO2(RideFrame frame)
    {
        var sources = new List<float[]>();
        foreach (var c in frame.Columns)
        {
            if (c.IsNative ? c.FieldNumber == 57 : c.Description is { } d && FieldClassifier.Classify(d) == Quantity.SmO2)
                sources.Add(c.Values);
        }
        if (sources.Count == 0) return null;
        var mean = new float[frame.Count];
        for (var i = 0; i < frame.Count; i++)
        {
            double sum = 0;
            var count = 0;
            foreach (var s in sources)
                if (float.IsFinite(s[i]) && s[i] > 0) { sum += s[i]; count++; }
            mean[i] = count == 0 ? float.NaN : (float)(sum / count);
        }
        return mean;
    }

    /// <summary>One value per second from <paramref name="t0"/>: the row at that second, linear across gaps up to 3 s.</summary>
    private static double[] OnGrid(uint[] timestamp, float[] values, int count, long t0, int length)
    {
        var at = new double[length];
        for (var i = 0; i < length; i++) at[i] = t0 + (double)i;
        var resampled = RideFrameMerge.Resample(timestamp, values, count, at);
        return Array.ConvertAll(resampled, v => (double)v);
    }

    /// <summary><paramref name="sign"/> × (x[i+h] − x[i−h]), NaN where either end is missing.</summary>
    private static double[] Derivative(double[] x, int sign)
    {
        const int h = DerivativeHalfWidthS;
        var d = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
            d[i] = i - h < 0 || i + h >= x.Length ? double.NaN : sign * (x[i + h] - x[i - h]);
        return d;
    }

    /// <summary>Pearson correlation of <paramref name="ride"/>[start + m] with <paramref name="other"/>[m] over the seconds both have.</summary>
    private static (double R, int Pairs) Pearson(double[] ride, double[] other, long start)
    {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        var n = 0;
        var from = Math.Max(0, -start);
        var to = Math.Min(other.Length, ride.Length - start);
        for (var m = from; m < to; m++)
        {
            var x = ride[start + m];
            var y = other[m];
            if (double.IsNaN(x) || double.IsNaN(y)) continue;
            sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
            n++;
        }
        if (n < 3) return (double.NaN, n);
        var cov = sxy - sx * sy / n;
        var vx = sxx - sx * sx / n;
        var vy = syy - sy * sy / n;
        return vx <= 0 || vy <= 0 ? (double.NaN, n) : (cov / Math.Sqrt(vx * vy), n);
    }
}
