namespace NirsSync.Analysis;

/// <summary>Why two channels are partners.</summary>
public enum PairRelation : byte
{
    /// <summary>The same muscle (or region, when the muscle is unknown) left against right.</summary>
    LeftRight,
    /// <summary>Vastus lateralis against vastus medialis on one side.</summary>
    VastusLateralisMedialis,
    /// <summary>Medial against lateral gastrocnemius head on one side.</summary>
    GastrocnemiusMedialLateral,
    /// <summary>A quadriceps muscle against a hamstring muscle on one side.</summary>
    QuadricepsHamstrings,
    /// <summary>A pair defined by the coach.</summary>
    Coach,
}

/// <summary>A metric of both partners: A - B and the asymmetry index 100 (A - B) / |(A + B) / 2| in %.</summary>
public readonly record struct PairDifference(double? A, double? B, double? Difference, double? AsymmetryIndex)
{
    public static PairDifference Of(double? a, double? b)
    {
        if (a is not { } x || b is not { } y) return new PairDifference(a, b, null, null);
        var mean = Math.Abs((x + y) / 2);
        return new PairDifference(a, b, ChannelAnalyzer.Round(x - y, 3),
            mean < 1e-9 ? null : ChannelAnalyzer.Round(100 * (x - y) / mean, 2));
    }
}

/// <summary>
/// Harmony of two partners' detrended SmO2: zero-lag correlation, the best correlation within ±MaxLagS
/// and its lag (positive: B follows A), over <see cref="Samples"/> rows where both were valid.
/// </summary>
public readonly record struct Harmony(double? Correlation, double? BestCorrelation, double? LagS, int Samples)
{
    public static readonly Harmony Empty = new(null, null, null, 0);
}

/// <summary>Harmony within one effort.</summary>
public readonly record struct EffortHarmony(int Effort, Harmony Harmony);

/// <summary>Balance (dysbalance) and harmony (dysharmony) of one pair of channels in one ride.</summary>
public sealed record PairMetrics(
    string A,
    string B,
    PairRelation Relation,
    string Name,
    PairDifference P50,
    PairDifference FunctionalRange,
    PairDifference DesaturationRate,
    PairDifference ReoxygenationHalfTime,
    Harmony Harmony,
    IReadOnlyList<EffortHarmony> EffortHarmony);
