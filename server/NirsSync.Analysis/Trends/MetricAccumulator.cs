namespace NirsSync.Analysis;

/// <summary>
/// A single-pass, mergeable accumulator of metric values that is exact: values are quantised to
/// 1e-4 units and summed as integers, so adding in any order or merging partial accumulators gives
/// bit-identical results to one pass over all values.
/// </summary>
public struct MetricAccumulator : IEquatable<MetricAccumulator>
{
    /// <summary>Quantisation step: values are counted in units of 1e-4.</summary>
    public const double Resolution = 1e4;

    public long Count { get; private set; }
    public long Sum { get; private set; }
    public Int128 SumOfSquares { get; private set; }
    public long MinUnits { get; private set; }
    public long MaxUnits { get; private set; }

    public void Add(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "metric values must be finite");
        var q = checked((long)Math.Round(value * Resolution, MidpointRounding.AwayFromZero));
        if (Count == 0) { MinUnits = q; MaxUnits = q; }
        else { MinUnits = Math.Min(MinUnits, q); MaxUnits = Math.Max(MaxUnits, q); }
        Count++;
        Sum += q;
        SumOfSquares += (Int128)q * q;
    }

    public void Merge(in MetricAccumulator other)
    {
        if (other.Count == 0) return;
        if (Count == 0) { this = other; return; }
        MinUnits = Math.Min(MinUnits, other.MinUnits);
        MaxUnits = Math.Max(MaxUnits, other.MaxUnits);
        Count += other.Count;
        Sum += other.Sum;
        SumOfSquares += other.SumOfSquares;
    }

    public readonly double? Mean => MeanOf(Count, Sum);
    public readonly double? Min => Count == 0 ? null : MinUnits / Resolution;
    public readonly double? Max => Count == 0 ? null : MaxUnits / Resolution;

    /// <summary>Sample standard deviation (n - 1), exact up to the final square root; null below two values.</summary>
    public readonly double? StandardDeviation => StandardDeviationOf(Count, Sum, SumOfSquares);

    /// <summary>The mean of values with these integer totals (the same arithmetic as <see cref="Mean"/>, for windows of prefix sums).</summary>
    public static double? MeanOf(long count, long sum) => count == 0 ? null : (double)sum / count / Resolution;

    /// <summary>The sample SD of values with these integer totals (the same arithmetic as <see cref="StandardDeviation"/>).</summary>
    public static double? StandardDeviationOf(long count, long sum, Int128 sumOfSquares)
    {
        if (count < 2) return null;
        var num = count * sumOfSquares - (Int128)sum * sum;
        return Math.Sqrt((double)num / ((double)count * (count - 1))) / Resolution;
    }

    public readonly bool Equals(MetricAccumulator other) => Count == other.Count && Sum == other.Sum
        && SumOfSquares == other.SumOfSquares && MinUnits == other.MinUnits && MaxUnits == other.MaxUnits;

    public override readonly bool Equals(object? obj) => obj is MetricAccumulator m && Equals(m);
    public override readonly int GetHashCode() => HashCode.Combine(Count, Sum, SumOfSquares, MinUnits, MaxUnits);
    public static bool operator ==(MetricAccumulator a, MetricAccumulator b) => a.Equals(b);
    public static bool operator !=(MetricAccumulator a, MetricAccumulator b) => !a.Equals(b);
}
