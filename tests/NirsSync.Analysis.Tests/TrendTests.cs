namespace NirsSync.Analysis.Tests;

public class TrendTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static RideSummary Ride(string id, DateTimeOffset start, double p50, double ai = 5) =>
        new(id, start, [new MetricValue("vastus_lateralis/left", "smo2_p50", p50),
            new MetricValue("vastus_lateralis/left|vastus_lateralis/right", "asymmetry_p50", ai)]);

    [Fact]
    public void Iso_week_is_taken_in_the_athletes_time_zone()
    {
        // Sunday 2026-11-01 23:30 UTC is Monday 00:30 in Berlin (CET): ISO week 45, not 44.
        var t = new DateTimeOffset(2026, 11, 1, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal((2026, 45), WeeklyTrends.IsoWeekOf(t, Berlin));
        Assert.Equal((2026, 44), WeeklyTrends.IsoWeekOf(t, TimeZoneInfo.Utc));
        // ISO year differs from the calendar year at the turn of the year.
        Assert.Equal((2026, 53), WeeklyTrends.IsoWeekOf(new DateTimeOffset(2027, 1, 1, 12, 0, 0, TimeSpan.Zero), Berlin));
    }

    [Fact]
    public void Weekly_value_spread_baseline_change_and_flag()
    {
        var monday = new DateTimeOffset(2026, 10, 5, 8, 0, 0, TimeSpan.Zero); // ISO week 41
        var rides = new List<RideSummary>();
        double[][] weeks = [[60, 62], [61, 59], [60, 60], [62, 58], [52, 50]];
        for (var w = 0; w < weeks.Length; w++)
            for (var r = 0; r < weeks[w].Length; r++)
                rides.Add(Ride($"w{w}r{r}", monday.AddDays(7 * w + 2 * r), weeks[w][r]));
        var trends = WeeklyTrends.Compute(rides, Berlin);
        var series = trends.Muscles.Single(m => m.Metric == "smo2_p50");
        Assert.Equal(5, series.Weeks.Count);
        var last = series.Weeks[^1];
        Assert.Equal((2026, 45, new DateOnly(2026, 11, 2), 2), (last.IsoYear, last.IsoWeek, last.WeekStart, last.Rides));
        Assert.Equal(51.0, last.Value);
        Assert.Equal(Math.Round(Math.Sqrt(2), 4), last.Spread);
        Assert.Equal((50.0, 52.0, 8, 60.25), (last.Min, last.Max, last.BaselineRides, last.Baseline!.Value));
        Assert.Equal(-9.25, last.Change);
        Assert.True(last.Flag);
        Assert.False(series.Weeks[3].Flag); // 60 against 60.333: inside the band
        Assert.Null(series.Weeks[0].Baseline);
    }

    [Fact]
    public void Asymmetry_inside_the_healthy_band_is_not_flagged()
    {
        var monday = new DateTimeOffset(2026, 10, 5, 8, 0, 0, TimeSpan.Zero);
        var rides = Enumerable.Range(0, 10).Select(i => Ride($"r{i}", monday.AddDays(3.5 * i), 60, i < 8 ? 2 : 11)).ToList();
        var pair = WeeklyTrends.Compute(rides, Berlin).Pairs.Single();
        Assert.All(pair.Weeks, w => Assert.False(w.Flag));
        Assert.Equal(10.0, pair.Weeks[^1].NoiseBand);
    }

    [Fact]
    public void A_ride_added_twice_counts_once()
    {
        var acc = new WeeklyAccumulator(Berlin);
        var r = Ride("same", DateTimeOffset.UnixEpoch.AddYears(50), 60);
        Assert.True(acc.Add(r));
        Assert.False(acc.Add(r));
        Assert.Equal(1, acc.Result().Muscles.Single().Weeks.Single().Rides);
    }

    [Fact]
    public void Summary_of_an_analysed_ride_names_muscles_and_pairs()
    {
        var sensors = new[]
        {
            new SyntheticSensor(Muscle.VastusLateralis, Side.Left, 1), new SyntheticSensor(Muscle.VastusLateralis, Side.Right, 2),
        };
        var start = new DateTimeOffset(2026, 11, 2, 7, 0, 0, TimeSpan.Zero);
        var a = RideAnalyzer.Analyze(SyntheticRides.Generate(3, 1800, sensors, start));
        var s = RideSummary.From("ride-1", a);
        Assert.Equal(start, s.Start);
        Assert.Contains(s.Values, v => v is { Subject: "vastus_lateralis/left", Metric: "smo2_p50" } && v.Value == a.Channels[0].SmO2.P50);
        Assert.Contains(s.Values, v => v is { Subject: "vastus_lateralis/left|vastus_lateralis/right", Metric: "asymmetry_p50" });
        Assert.Contains(s.Values, v => v is { Subject: "vastus_lateralis/right", Metric: "reoxygenation_half_time_s" });
    }
}
