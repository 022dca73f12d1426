using System.Text.RegularExpressions;
using NirsSync.Analysis;
using NirsSync.Data.Documents;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;
using NirsSync.Server.Dashboard;

namespace NirsSync.Server.Tests;

/// <summary>The ride page's tables read the typed ride document and show the measures docs/metrics.md defines.</summary>
public sealed class RideTablesTests
{
    private static RideDocument IntervalRide()
    {
        var fit = SyntheticRide.Generate(new SyntheticRideOptions { Seed = 1, Duration = TimeSpan.FromHours(1) });
        return RideDocuments.Of(RideAnalyzer.Analyze(FitColumnarReader.Read(fit, FitDecodeOptions.Lenient)));
    }

    [Fact]
    public void TheEffortTableShowsDepthFromTheRobustLowAndTheHalfTimeFromTheEndOfTheWork()
    {
        var document = IntervalRide();
        var effort = document.Metrics[0].Efforts[0];
        // The legacy nadir-based values differ on this ride, so the test tells which ones the table shows.
        Assert.NotEqual(effort.ReoxygenationHalfTimeS, effort.HalfTimeFromEndS);
        var html = RideTables.Efforts(document);
        var row = Regex.Match(html, "<tr data-effort=\"0\" class=\"effort-first\">(.*?)</tr>").Groups[1].Value;
        var numbers = Regex.Matches(row, "<td class=\"num\">([^<]*)</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([Names.Number(effort.Baseline), Names.Number(effort.Depth), Names.Number(effort.DesaturationRate),
            effort.RecoveryCut ? "cut" : Names.Number(effort.HalfTimeFromEndS)], numbers);
        Assert.Contains($"{Names.Number(effort.MeanPowerW, "0")} W", row);
    }

    [Fact]
    public void EveryValueOfTheMuscleAndPairTablesNamesItsColumnForThePhone()
    {
        var document = IntervalRide();
        foreach (var html in new[] { RideTables.Channels(document.Metrics), RideTables.Pairs(document.Pairs) })
        {
            var rows = Regex.Matches(html, "<tr>(.*?)</tr>").Select(m => m.Groups[1].Value).Where(r => r.Contains("<td")).ToList();
            Assert.NotEmpty(rows);
            foreach (var row in rows)
            {
                var cells = Regex.Matches(row, "<td([^>]*)>").Select(m => m.Groups[1].Value).ToList();
                Assert.Equal(" class=\"name\"", cells[0]);
                Assert.All(cells.Skip(1), c => Assert.Matches("data-label=\"[^\"]+\"|class=\"hide-phone\"", c));
            }
        }
    }
}
