using NirsSync.Analysis;
using NirsSync.Data.Documents;
using NirsSync.Server.Demo;
using SensorMap = NirsSync.Data.Documents.SensorMap;

namespace NirsSync.Server.Tests;

/// <summary>The demo's plan: varied ride lengths, a valid placement in the sensor map, believable resting spot checks.</summary>
public sealed class DemoPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RidesLastFrom45MinutesTo4Hours()
    {
        var minutes = DemoPlan.Athletes.SelectMany(a => DemoPlan.Rides(a, Now)).Select(r => r.Duration.TotalMinutes).ToList();
        Assert.Equal(45, minutes.Min());
        Assert.Equal(240, minutes.Max());
        Assert.True(minutes.Distinct().Count() >= 8, string.Join(", ", minutes.Distinct()));
    }

    [Fact]
    public void LenasReTapedSensorIsADatedPlacementWithANote()
    {
        var lena = DemoPlan.Athletes.Single(a => a.Name == "Lena Berg");
        var map = DemoPlan.SensorMap(lena, Now)!;
        Assert.Null(SensorMap.Validate(map));
        var placements = SensorMap.Placements(map);
        var moved = Assert.Single(placements);
        Assert.Equal("vastus_lateralis/left", moved.Subject);
        Assert.Equal(DemoPlan.FirstMonday(Now, DemoPlan.Weeks).AddDays(14), moved.From);
        Assert.Contains("re-taped", moved.Note);
        Assert.Contains(map, e => e.To == moved.From && e.Note is { Length: > 0 });
        Assert.Null(DemoPlan.SensorMap(DemoPlan.Athletes.Single(a => a.Name == "Tom Kraus"), Now));
    }

    [Fact]
    public void SpotChecksComeWeeklyWithBelievablePartnerRatios()
    {
        foreach (var athlete in DemoPlan.Athletes)
        {
            var checks = DemoPlan.SpotChecks(athlete, Now).ToList();
            Assert.Equal(DemoPlan.Weeks, checks.Count);
            Assert.All(checks, c => Assert.Null(SpotCheckDocument.Validate(c, Now)));
            var ratios = checks.SelectMany(c => RestChecks.Ratios(SpotCheckDocument.Sites(c.Entries!.Select(e => e!).ToList()))).ToList();
            // Left/right of vastus lateralis every week, medial/lateral gastrocnemius of both legs every other week.
            Assert.Equal(DemoPlan.Weeks, ratios.Count(r => r.Relation == "left_right" && r.A.Muscle == Muscle.VastusLateralis));
            Assert.Equal(DemoPlan.Weeks, ratios.Count(r => r.Relation == "gastrocnemius_medial_lateral"));
            Assert.All(ratios, r => Assert.InRange(r.Ratio!.Value, 0.8, 1.2));
            // The medial head rests below the lateral one on average.
            Assert.True(ratios.Where(r => r.Relation == "gastrocnemius_medial_lateral").Average(r => r.Difference) < -2);
        }
    }
}
