namespace NirsSync.Analysis;

/// <summary>One site of a resting spot check: the muscle and side the sensor sat on and what it read there.</summary>
public readonly record struct RestSite(Muscle Muscle, Side Side, double SmO2, double? THb);

/// <summary>
/// The comparison of two partner sites of one spot check: A − B in SmO2 points (and in tHb, g/dL), and A / B.
/// <see cref="Relation"/> says which partners: <c>left_right</c> (A left, B right, one muscle),
/// <c>gastrocnemius_medial_lateral</c> (A medial, B lateral head, one side) or <c>vastus_lateralis_medialis</c>
/// (A lateralis, B medialis, one side).
/// </summary>
public sealed record RestRatio(RestSite A, RestSite B, string Relation, double Difference, double? Ratio, double? THbDifference);

/// <summary>
/// Partner comparisons of a resting spot check (docs/metrics.md, "Resting spot checks"): the practice of holding one
/// sensor on each muscle at rest and comparing partners over weeks.
/// </summary>
public static class RestChecks
{
    public const string LeftRight = "left_right";
    public const string GastrocnemiusMedialLateral = "gastrocnemius_medial_lateral";
    public const string VastusLateralisMedialis = "vastus_lateralis_medialis";

    /// <summary>Every partner pair present among <paramref name="sites"/>, in a stable order.</summary>
    public static IReadOnlyList<RestRatio> Ratios(IReadOnlyList<RestSite> sites)
    {
        var bySite = new Dictionary<(Muscle, Side), RestSite>();
        foreach (var s in sites) bySite.TryAdd((s.Muscle, s.Side), s);
        var ratios = new List<RestRatio>();
        foreach (var muscle in Enum.GetValues<Muscle>())
        {
            if (bySite.TryGetValue((muscle, Side.Left), out var l) && bySite.TryGetValue((muscle, Side.Right), out var r))
                ratios.Add(Compare(l, r, LeftRight));
        }
        foreach (var side in (ReadOnlySpan<Side>)[Side.Left, Side.Right, Side.Unknown])
        {
            if (bySite.TryGetValue((Muscle.GastrocnemiusMedialHead, side), out var gm)
                && bySite.TryGetValue((Muscle.GastrocnemiusLateralHead, side), out var gl))
                ratios.Add(Compare(gm, gl, GastrocnemiusMedialLateral));
            if (bySite.TryGetValue((Muscle.VastusLateralis, side), out var vl)
                && bySite.TryGetValue((Muscle.VastusMedialis, side), out var vm))
                ratios.Add(Compare(vl, vm, VastusLateralisMedialis));
        }
        return ratios;
    }

    private static RestRatio Compare(RestSite a, RestSite b, string relation) => new(a, b, relation,
        Math.Round(a.SmO2 - b.SmO2, 2),
        b.SmO2 > 0 ? Math.Round(a.SmO2 / b.SmO2, 4) : null,
        a.THb is { } ta && b.THb is { } tb ? Math.Round(ta - tb, 3) : null);

    /// <summary>Trend subject of a site, as the ride trends name muscles ("vastus_lateralis/left").</summary>
    public static string Subject(Muscle muscle, Side side) => $"{Muscles.Name(muscle)}/{Muscles.Name(side)}";

    /// <summary>
    /// One spot check as a trend input: per site <c>rest_smo2</c> and <c>rest_thb</c>, per partner pair
    /// <c>rest_difference</c> (A − B, points) under the subject "A|B", so the spot checks get weekly trends with the
    /// same noise rules as the rides (<see cref="WeeklyTrends"/>).
    /// </summary>
    public static RideSummary Summary(string id, DateTimeOffset takenAt, IReadOnlyList<RestSite> sites)
    {
        var values = new List<MetricValue>();
        foreach (var s in sites)
        {
            var subject = Subject(s.Muscle, s.Side);
            values.Add(new MetricValue(subject, "rest_smo2", s.SmO2));
            if (s.THb is { } thb) values.Add(new MetricValue(subject, "rest_thb", thb));
        }
        foreach (var r in Ratios(sites))
            values.Add(new MetricValue($"{Subject(r.A.Muscle, r.A.Side)}|{Subject(r.B.Muscle, r.B.Side)}", "rest_difference", r.Difference));
        return new RideSummary(id, takenAt, values);
    }
}
