using System.Reflection;
using NirsSync.Analysis;

namespace NirsSync.Analysis.Tests;

/// <summary>The metric catalogue describes every result of the analysis; the chart series share one time axis.</summary>
public sealed class CatalogueAndChartTests
{
    /// <summary>Every numeric value of a ride's per-muscle and per-pair summary results, by source path.</summary>
    private static IEnumerable<(string Path, MetricScope Scope)> ResultValues()
    {
        foreach (var path in Leaves(typeof(ChannelMetrics), "", [nameof(ChannelMetrics.Channel), nameof(ChannelMetrics.Quality)]))
            yield return (path, MetricScope.Muscle);
        foreach (var path in Leaves(typeof(PairMetrics), "", []))
            yield return (path, MetricScope.Pair);
    }

    private static IEnumerable<string> Leaves(Type type, string prefix, string[] skip)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (skip.Contains(p.Name) || p.GetIndexParameters().Length > 0) continue;
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var path = prefix + p.Name;
            if (t == typeof(double) || t == typeof(int) || t == typeof(float)) yield return path;
            else if (t.IsValueType && !t.IsEnum && t.Namespace == typeof(ChannelMetrics).Namespace)
                foreach (var leaf in Leaves(t, path + ".", [])) yield return leaf;
            // Lists (efforts, bands, laps), strings and enums are per-ride detail, not summary values.
        }
    }

    [Fact]
    public void EveryNumericResultOfAMuscleOrPairIsCataloguedOrListedAsNotTrended()
    {
        var catalogued = MetricCatalogue.All.ToDictionary(m => m.Source, m => m.Scope);
        var missing = ResultValues()
            .Where(v => !(catalogued.TryGetValue(v.Path, out var scope) && scope == v.Scope) && !MetricCatalogue.NotTrended.ContainsKey(v.Path))
            .Select(v => $"{v.Scope}:{v.Path}").ToList();
        Assert.True(missing.Count == 0, $"results the metric catalogue does not describe: {string.Join(", ", missing)}");
        // And the catalogue names only values that exist.
        var paths = ResultValues().Select(v => v.Path).ToHashSet();
        Assert.All(MetricCatalogue.All.Where(m => m.OfChannel is not null || m.OfPair is not null), m => Assert.Contains(m.Source, paths));
        Assert.All(MetricCatalogue.NotTrended.Keys, k => Assert.Contains(k, paths));
    }

    [Fact]
    public void EveryTrendValueOfAnAnalysedRideIsACatalogueMetricWithItsNoiseMinimum()
    {
        var frame = SyntheticRides.Generate(5, 1800, SyntheticRides.PartnerSensors(new Random(5), 4),
            new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        var analysis = RideAnalyzer.Analyze(frame);
        var summary = RideSummary.From("r1", analysis);
        Assert.NotEmpty(summary.Values);
        Assert.Contains(summary.Values, v => v.Subject.Contains('|'));
        foreach (var v in summary.Values)
        {
            var m = MetricCatalogue.Find(v.Metric);
            Assert.True(m is not null, $"the analysis produced '{v.Metric}', which the metric catalogue does not describe");
            Assert.Equal(v.Subject.Contains('|') ? MetricScope.Pair : MetricScope.Muscle, m!.Scope);
            Assert.Equal(m.NoiseMinimum, TrendOptions.Default.MinBand[NoisePriors.BaseMetric(v.Metric)]);
        }
        var vl = analysis.Channels[0];
        Assert.Equal(vl.SmO2.P50, MetricCatalogue.Get("smo2_p50").OfChannel!(vl));
        Assert.Throws<KeyNotFoundException>(() => MetricCatalogue.Get("no_such_metric"));
    }

    [Fact]
    public void ChartOfARideWhoseFirstRecordIsNotItsEarliestPutsPowerAndSmO2OnOneTimeAxisInTimeOrder()
    {
        // Record 0 is at second 6 of the ride; the earliest record (second 0) is row 1. Power = 100 + 10 t,
        // SmO2 = 40 + t, so a value's own time can be read back from it.
        uint[] t = [106, 100, 101, 102, 103, 104, 105, 107, 108, 109];
        var power = t.Select(x => 100 + 10f * (x - 100)).ToArray();
        var smo2 = t.Select(x => 40f + (x - 100)).ToArray();
        var thb = t.Select(x => 12f + 0.1f * (x - 100)).ToArray();
        var frame = new RideFrame(t, power, [RideColumn.Native(57, smo2), RideColumn.Native(54, thb)]);
        var a = RideAnalyzer.Analyze(frame);

        Assert.Equal(9.0, a.DurationS);
        Assert.Equal(NirsSync.Fit.FitProfile.ToDateTime(100), a.Start);
        Assert.Equal(145.0, a.AveragePowerW);
        var chart = a.Chart(2);
        Assert.Equal(2, chart.StepSeconds);
        Assert.Equal([0, 2, 4, 6, 8], chart.Seconds);
        Assert.Equal([105.0, 125.0, 145.0, 165.0, 185.0], chart.Power.Select(p => p!.Value));
        var channel = Assert.Single(chart.Channels);
        Assert.Equal([40.5, 42.5, 44.5, 46.5, 48.5], channel.SmO2.Select(p => p!.Value));
        Assert.Equal([12.05, 12.25, 12.45, 12.65, 12.85], channel.THb.Select(p => p!.Value));
    }

    [Fact]
    public void DefaultChartStepKeepsAOneHourRideWithinSixHundredPointsWithNullWhereABucketHasNoValue()
    {
        var n = 3600;
        var t = Enumerable.Range(0, n).Select(i => (uint)(1000 + i)).ToArray();
        var power = Enumerable.Range(0, n).Select(i => i < 60 ? float.NaN : 200f).ToArray();
        var smo2 = Enumerable.Range(0, n).Select(i => 50f + i % 7).ToArray();
        var a = RideAnalyzer.Analyze(new RideFrame(t, power, [RideColumn.Native(57, smo2)]));
        var chart = a.Chart();
        Assert.Equal(6, chart.StepSeconds);
        Assert.Equal(600, chart.Seconds.Length);
        Assert.All(chart.Power.Take(10), p => Assert.Null(p));
        Assert.Equal(200.0, chart.Power[10]);
        Assert.Equal(200.0, a.AveragePowerW);
        Assert.Equal(600, chart.Channels[0].SmO2.Length);
    }

    [Fact]
    public void ChartOfARideWithoutPowerHasNoPowerValues()
    {
        var a = RideAnalyzer.Analyze(new RideFrame([1, 2, 3], null, [RideColumn.Native(57, [50, 52, 54])]));
        Assert.Null(a.AveragePowerW);
        var chart = a.Chart(1);
        Assert.All(chart.Power, p => Assert.Null(p));
        Assert.Equal([50.0, 52.0, 54.0], chart.Channels[0].SmO2.Select(v => v!.Value));
    }
}
