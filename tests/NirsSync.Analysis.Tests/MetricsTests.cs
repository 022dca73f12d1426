using static NirsSync.Analysis.Tests.Frames;

namespace NirsSync.Analysis.Tests;

public class MetricsTests
{
    private static readonly float[] SmO2 = [50, 52, 0, 54, 56, 58, 60, 102.3f, 62, 64];
    private static readonly float[] THb = [12, 12.5f, 0, 13, 13, 13, 13, 40.95f, 13.5f, 14];

    private static ChannelMetrics Small() =>
        Assert.Single(RideAnalyzer.Analyze(Native(SmO2, THb), options: new AnalysisOptions { SmoothingWindowS = 3 }).Channels);

    [Fact]
    public void Percentiles_are_nearest_rank_over_valid_samples()
    {
        var c = Small();
        // valid SmO2: 50 52 54 56 58 60 62 64 (n = 8): ranks ceil(0.4)=1, 4, ceil(7.6)=8
        Assert.Equal((50.0, 56.0, 64.0, 14.0), (c.SmO2.P5!.Value, c.SmO2.P50!.Value, c.SmO2.P95!.Value, c.SmO2.FunctionalRange!.Value));
        Assert.Equal(57.0, c.SmO2.Mean!.Value, 6);
        // valid tHb sorted: 12 12.5 13 13 13 13 13.5 14
        Assert.Equal((12.0, 13.0, 14.0), (c.THb.P5!.Value, c.THb.P50!.Value, c.THb.P95!.Value));
        Assert.Equal(13.0, c.THb.Mean!.Value, 6);
    }

    [Fact]
    public void Min_and_max_come_from_the_centred_smoothed_signal()
    {
        var c = Small();
        // 3 s window: row 0 -> mean(50, 52) = 51; rows 8, 9 -> mean(62, 64) = 63
        Assert.Equal(51.0, c.SmO2.Min!.Value, 4);
        Assert.Equal(63.0, c.SmO2.Max!.Value, 4);
    }

    [Fact]
    public void O2Hb_and_HHb_are_derived_from_tHb_and_SmO2()
    {
        var c = Small();
        // sum tHb*SmO2/100 over the 8 valid rows = 59.47; mean 7.43375; HHb = 13 - 7.43375
        Assert.Equal(7.43375, c.O2HbMean!.Value, 3);
        Assert.Equal(5.56625, c.HHbMean!.Value, 3);
    }

    [Fact]
    public void Quality_counts_zeros_out_of_range_values_and_dropouts()
    {
        var q = Small().Quality;
        Assert.Equal((10, 8, 8, 0.8), (q.Samples, q.ValidSmO2, q.ValidTHb, q.ValidFraction));
        Assert.Equal((2, 2, 2), (q.Zeros, q.OutOfRange, q.Dropouts));
        Assert.Equal(1.0, q.SampleIntervalS);
        Assert.Equal(0, q.Gaps);
    }

    [Fact]
    public void A_frozen_run_is_missing_except_its_first_sample()
    {
        var smo2 = Fill(100, i => i < 40 ? 60f : 50 + i % 7);
        var c = Assert.Single(RideAnalyzer.Analyze(Native(smo2)).Channels);
        Assert.Equal(39, c.Quality.FrozenSamples);
        Assert.Equal(61, c.Quality.ValidSmO2);
        Assert.Equal(1, c.Quality.Dropouts); // the frozen stretch lies between its first sample and row 40
    }

    [Fact]
    public void Gaps_in_time_are_counted()
    {
        var ts = Seconds(20);
        for (var i = 10; i < 20; i++) ts[i] += 30;
        var frame = new RideFrame(ts, null, [RideColumn.Native(57, Fill(20, i => 50 + i))]);
        var q = Assert.Single(RideAnalyzer.Analyze(frame).Channels).Quality;
        Assert.Equal((1, 31.0), (q.Gaps, q.LongestGapS));
    }

    [Fact]
    public void A_channel_without_valid_samples_has_null_statistics()
    {
        var c = Assert.Single(RideAnalyzer.Analyze(Native(new float[30], new float[30])).Channels);
        Assert.Equal(SmO2Stats.Empty, c.SmO2);
        Assert.Equal(THbStats.Empty, c.THb);
        Assert.Null(c.O2HbMean);
        Assert.Equal(0.0, c.Quality.ValidFraction);
    }

    [Theory]
    [InlineData(0.1, 100.0, 0.0, 0.0)]      // +6 %/min: rising
    [InlineData(-0.02, 0.0, 100.0, 0.0)]    // -1.2 %/min: flat
    [InlineData(-0.2, 0.0, 0.0, 100.0)]     // -12 %/min: falling
    public void Slope_zones_follow_the_smoothed_slope(double perSecond, double rising, double flat, double falling)
    {
        var smo2 = Fill(100, i => MathF.Round((float)(70 + perSecond * i) * 100) / 100);
        var z = Assert.Single(RideAnalyzer.Analyze(Native(smo2)).Channels).SlopeZones;
        Assert.Equal((rising, flat, falling, 0.0), (z.RisingS, z.FlatS, z.FallingS, z.FreefallS));
    }

    [Fact]
    public void A_fast_drop_is_freefall()
    {
        var z = Assert.Single(RideAnalyzer.Analyze(Native(Fill(60, i => 90 - i))).Channels).SlopeZones;
        Assert.Equal(60.0, z.FreefallS);
    }

    [Fact]
    public void SmO2_by_power_band()
    {
        var power = Fill(40, i => i % 2 == 0 ? 120f : 260f);
        var smo2 = Fill(40, i => i % 2 == 0 ? 60f + i % 4 : 40f);
        var opts = NoFrozen with { EffortPowerW = 1000 };
        var bands = Assert.Single(RideAnalyzer.Analyze(Native(smo2, power: power), options: opts).Channels).PowerBands;
        Assert.Equal(8, bands.Count);
        var low = bands[1];
        Assert.Equal((100.0, (double?)150, 20.0, 61.0), (low.FromW, low.ToW, low.Seconds, low.SmO2Mean!.Value));
        var high = bands[4];
        Assert.Equal((250.0, 20.0, 40.0), (high.FromW, high.Seconds, high.SmO2Mean!.Value));
        Assert.Equal(0.0, bands[0].Seconds);
        Assert.Null(bands[0].SmO2Mean);
        Assert.Null(bands[7].ToW);
    }

    [Fact]
    public void Laps_get_their_own_percentiles()
    {
        var smo2 = Fill(20, i => i < 10 ? 40 + i : 70 + i);
        var laps = new[] { new RideLap(T0, T0 + 9), new RideLap(T0 + 10, T0 + 19) };
        var frame = new RideFrame(Seconds(20), null, [RideColumn.Native(57, smo2)], laps);
        var c = Assert.Single(RideAnalyzer.Analyze(frame).Channels);
        Assert.Equal(2, c.Laps.Count);
        Assert.Equal((40.0, 44.0, 49.0, 10), (c.Laps[0].SmO2.P5!.Value, c.Laps[0].SmO2.P50!.Value, c.Laps[0].SmO2.P95!.Value, c.Laps[0].ValidSamples));
        Assert.Equal((80.0, 84.0, 89.0), (c.Laps[1].SmO2.P5!.Value, c.Laps[1].SmO2.P50!.Value, c.Laps[1].SmO2.P95!.Value));
        Assert.Equal(10.0, c.Laps[1].StartS);
    }

    [Fact]
    public void Downsampled_series_averages_buckets()
    {
        var a = RideAnalyzer.Analyze(Native(Fill(20, i => 50 + i), Fill(20, _ => 12)));
        var s = a.Series("native", 10);
        Assert.Equal(2, s.Count);
        Assert.Equal((0.0, 54.5, 12.0), (s[0].TimeS, s[0].SmO2!.Value, s[0].THb!.Value));
        Assert.Equal((10.0, 64.5), (s[1].TimeS, s[1].SmO2!.Value));
        Assert.Throws<ArgumentException>(() => a.Series("nope"));
    }

    [Fact]
    public void Bad_options_are_rejected_with_the_setting_named()
    {
        var e = Assert.Throws<ArgumentException>(() => RideAnalyzer.Analyze(Native([50, 51]), options: new AnalysisOptions { FrozenS = 0 }));
        Assert.Contains("FrozenS", e.Message);
    }

    [Fact]
    public void Rows_that_go_back_in_time_are_analysed_in_time_order()
    {
        // Row 2 (SmO2 40) belongs before rows 0 and 1; in time order the series is 40, 50, 51, 60.
        var frame = new RideFrame([5, 6, 4, 7], null, [RideColumn.Native(57, [50, 51, 40, 60])]);
        Assert.False(frame.IsInTimeOrder);
        var a = RideAnalyzer.Analyze(frame);
        var s = a.Series("native", 1);
        Assert.Equal([40.0, 50.0, 51.0, 60.0], s.Select(p => p.SmO2!.Value));
        Assert.Equal(3.0, a.DurationS);
        Assert.Equal(FitProfile4(), a.Start);
    }

    private static DateTimeOffset FitProfile4() => NirsSync.Fit.FitProfile.ToDateTime(4);
}
