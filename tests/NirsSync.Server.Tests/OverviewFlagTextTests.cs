using NirsSync.Analysis;
using NirsSync.Server.Dashboard;

namespace NirsSync.Server.Tests;

/// <summary>
/// The team overview's flag lines print the number and the band of the test that raised the flag, so a coach never
/// reads a flagged value that sits inside the band printed beside it.
/// </summary>
public sealed class OverviewFlagTextTests
{
    private static readonly DateOnly Monday = new(2026, 11, 23);

    private static WeeklyValue Week(double? change, double? noiseBand) =>
        new(2026, 48, Monday, 3, 12, 2, 10, 14, 9, 10, change, noiseBand, true);

    [Fact]
    public void ADysbalanceShowsTheBalanceAgainstItsReferenceAndTheBalancesDetectableDifference()
    {
        // The week's change against its baseline (+40.4) is inside the chart's band (±60.7): the flag is the balance.
        var w = Week(40.4, 60.7) with { Dysbalance = true, Current = 31.2, Reference = 8.1, StateMdc = 9.4, DysbalanceWeeks = 3 };
        var text = Overview.FlagText(new MetricTrend("vastus_lateralis:left|vastus_lateralis:right", "asymmetry_p50", [w]), w);
        Assert.Contains("31.2 against 8.1 in the reference, +23.1 (dysbalance; detectable ±9.4, 3 weeks, ", text);
        Assert.DoesNotContain("60.7", text);
        Assert.DoesNotContain("40.4", text);
    }

    [Fact]
    public void AChangeShowsItsMinimumDetectableChange()
    {
        var w = Week(-16.2, 30.5) with { ChangeFlag = true, Mdc = 14.9 };
        var text = Overview.FlagText(new MetricTrend("vastus_lateralis:left", "smo2_p50", [w]), w);
        Assert.Contains("-16.2 (change; detectable ±14.9, ", text);
        Assert.DoesNotContain("30.5", text);
    }

    [Fact]
    public void AnAsymmetryOutsideTheHealthyRangeSaysSo()
    {
        var w = Week(2, 10) with { OutsideHealthyRange = true, Current = -27.5, Reference = -25, StateMdc = 6 };
        var text = Overview.FlagText(new MetricTrend("vastus_lateralis:left|vastus_lateralis:right", "asymmetry_p50", [w]), w);
        Assert.Contains("-27.5 (outside the healthy range of ±20 % by more than its noise, ", text);
    }
}
