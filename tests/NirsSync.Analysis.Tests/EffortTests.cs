using static NirsSync.Analysis.Tests.Frames;

namespace NirsSync.Analysis.Tests;

public class EffortTests
{
    // Power 100 W, 300 W for t in [60, 120), then 100 W. SmO2 70 until 60, falls 0.5 %/s to 40 at 120,
    // rises 1 %/s to 80 at 160, stays 80.
    private static float SmO2At(int t) => t < 60 ? 70 : t <= 120 ? 70 - 0.5f * (t - 60) : t <= 160 ? 40 + (t - 120) : 80;

    private static RideAnalysis Ride() =>
        RideAnalyzer.Analyze(Native(Fill(200, SmO2At), power: Fill(200, t => t is >= 60 and < 120 ? 300f : 100f)),
            options: NoFrozen with { EffortPowerW = 200, SmoothingWindowS = 0 });

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Efforts_on_one_second_rows_are_the_same_by_run_search_and_by_row_scan(int seed, byte bridge, bool fixedThreshold)
    {
        // Bursty power with dropouts (NaN) and values right at the threshold.
        var rng = new Random(seed);
        var n = 200 + rng.Next(800);
        var level = 150f;
        var power = new float[n];
        for (var i = 0; i < n; i++)
        {
            if (rng.NextDouble() < 0.05) level = rng.NextDouble() < 0.5 ? 150f : 320f;
            power[i] = rng.NextDouble() < 0.03 ? float.NaN : rng.NextDouble() < 0.1 ? 240f : level + rng.Next(-20, 21);
        }
        var ride = Native(Fill(n, t => 60f), power: power);
        var o = AnalysisOptions.Default with
        {
            EffortBridgeS = 1 + bridge % 12, MinEffortS = 5, EffortPowerW = fixedThreshold ? 240 : null,
        };
        return EffortFinder.Find(ride, o, regular: true).SequenceEqual(EffortFinder.Find(ride, o, regular: false));
    }

    [Fact]
    public void Effort_is_found_from_power()
    {
        var e = Assert.Single(Ride().Efforts);
        Assert.Equal((60.0, 60.0, 300.0), (e.StartS, e.DurationS, e.MeanPowerW));
    }

    [Fact]
    public void Kinetics_match_hand_computed_values()
    {
        var e = Assert.Single(Assert.Single(Ride().Channels).Efforts);
        Assert.Equal(70.0, e.Baseline);
        Assert.Equal((40.0, 120.0), (e.Nadir!.Value, e.NadirS!.Value));
        Assert.Equal(30.0, e.DesaturationDepth);
        Assert.Equal(-30.0, e.DesaturationRate!.Value, 6); // -0.5 %/s
        Assert.Equal(80.0, e.Peak);
        Assert.Equal(20.0, e.ReoxygenationHalfTimeS); // 40 + (80 - 40) / 2 = 60 reached at t = 140
        Assert.Equal(10.0, e.Overshoot);
    }

    [Fact]
    public void Default_threshold_is_relative_to_mean_power_and_short_bursts_are_not_efforts()
    {
        var power = Fill(300, t => t is >= 100 and < 110 ? 500f : t is >= 200 and < 240 ? 300f : 150f);
        var a = RideAnalyzer.Analyze(Native(Fill(300, t => 60 + t % 5), power: power));
        var e = Assert.Single(a.Efforts);
        Assert.Equal((200.0, 40.0), (e.StartS, e.DurationS));
    }

    [Fact]
    public void Short_dips_do_not_split_an_effort()
    {
        var power = Fill(200, t => t is >= 50 and < 120 && t != 80 && t != 81 ? 300f : 100f);
        var a = RideAnalyzer.Analyze(Native(Fill(200, t => 60 + t % 5), power: power), options: new AnalysisOptions { EffortPowerW = 200 });
        Assert.Equal((50.0, 70.0), (Assert.Single(a.Efforts).StartS, a.Efforts[0].DurationS));
    }
}
