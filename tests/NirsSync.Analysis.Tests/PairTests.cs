using static NirsSync.Analysis.Tests.Frames;

namespace NirsSync.Analysis.Tests;

public class PairTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Left_and_right_vastus_lateralis_pair_with_asymmetry_of_their_medians()
    {
        var sensors = new[]
        {
            new SyntheticSensor(Muscle.VastusLateralis, Side.Left, 1, RestSmO2: 70),
            new SyntheticSensor(Muscle.VastusLateralis, Side.Right, 2, RestSmO2: 60),
        };
        var a = RideAnalyzer.Analyze(SyntheticRides.Generate(1, 1200, sensors, Start));
        var p = Assert.Single(a.Pairs);
        Assert.Equal(("ours:1", "ours:2", PairRelation.LeftRight), (p.A, p.B, p.Relation));
        double l = a.Channels[0].SmO2.P50!.Value, r = a.Channels[1].SmO2.P50!.Value;
        Assert.Equal(Math.Round(100 * (l - r) / ((l + r) / 2), 2), p.P50.AsymmetryIndex);
        Assert.Equal(Math.Round(l - r, 3), p.P50.Difference);
        Assert.InRange(p.P50.AsymmetryIndex!.Value, 10, 25);
        Assert.Equal(a.Efforts.Count, p.EffortHarmony.Count);
        Assert.True(p.Harmony.Correlation > 0.5, $"partners driven by the same power correlate, got {p.Harmony.Correlation}");
    }

    [Fact]
    public void Partner_relations_on_one_side_and_coach_pairs()
    {
        var sensors = new[]
        {
            new SyntheticSensor(Muscle.VastusLateralis, Side.Left, 1),
            new SyntheticSensor(Muscle.VastusMedialis, Side.Left, 2),
            new SyntheticSensor(Muscle.BicepsFemoris, Side.Left, 3),
            new SyntheticSensor(Muscle.GastrocnemiusLateralHead, Side.Right, 4),
        };
        var coach = new AnalysisOptions { CoachPairs = [new PairDefinition(Muscle.VastusMedialis, Side.Left, Muscle.GastrocnemiusLateralHead, Side.Right, "vm-gl")] };
        var a = RideAnalyzer.Analyze(SyntheticRides.Generate(2, 600, sensors, Start), options: coach);
        var got = a.Pairs.Select(p => (p.A, p.B, p.Relation)).OrderBy(x => x.A).ThenBy(x => x.B).ToArray();
        Assert.Equal(
        [
            ("ours:1", "ours:2", PairRelation.VastusLateralisMedialis),
            ("ours:1", "ours:3", PairRelation.QuadricepsHamstrings),
            ("ours:2", "ours:3", PairRelation.QuadricepsHamstrings),
            ("ours:2", "ours:4", PairRelation.Coach),
        ], got);
    }

    [Fact]
    public void Harmony_finds_the_lag_of_a_delayed_partner()
    {
        const int n = 600;
        var rng = new Random(5);
        var a = new float[n];
        double x = 0;
        for (var i = 0; i < n; i++)
        {
            x = 0.9 * x + rng.NextDouble() - 0.5;
            a[i] = (float)(60 + 8 * Math.Sin(i / 9.0) + 3 * x);
        }
        var b = Fill(n, i => a[Math.Max(0, i - 3)] - 5);
        var frame = new RideFrame(Seconds(n), null,
        [
            RideColumn.Developer(Dev(0, 0, "SmO2 on L. VL", "%", NirsSync.Fit.FitBaseType.Float32), a),
            RideColumn.Developer(Dev(1, 0, "SmO2 on R. VL", "%", NirsSync.Fit.FitBaseType.Float32), b),
        ]);
        var p = Assert.Single(RideAnalyzer.Analyze(frame).Pairs);
        Assert.Equal(PairRelation.LeftRight, p.Relation);
        Assert.Equal(3.0, p.Harmony.LagS);
        Assert.True(p.Harmony.BestCorrelation > 0.95, $"best correlation {p.Harmony.BestCorrelation}");
        Assert.True(p.Harmony.Correlation < p.Harmony.BestCorrelation);
    }

    [Fact]
    public void Asymmetry_index_formula()
    {
        Assert.Equal(new PairDifference(55, 45, 10, 20), PairDifference.Of(55, 45));
        Assert.Equal(new PairDifference(-12, -8, -4, -40), PairDifference.Of(-12, -8));
        Assert.Equal(new PairDifference(null, 45, null, null), PairDifference.Of(null, 45));
    }
}
