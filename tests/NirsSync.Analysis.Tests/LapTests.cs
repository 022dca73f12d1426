using static NirsSync.Analysis.Tests.Frames;

namespace NirsSync.Analysis.Tests;

/// <summary>Per-lap metrics beyond the levels: O2Hb/HHb, slope zones, efforts and power bands.</summary>
public class LapTests
{
    // 200 s: SmO2 falls 0.5 %/s while power is 300 W in [60, 120), then rises; two laps split at 100 s.
    private static float SmO2At(int t) => t < 60 ? 70 : t <= 120 ? 70 - 0.5f * (t - 60) : t <= 160 ? 40 + (t - 120) : 80;

    private static RideAnalysis Ride(RideLap[] laps, uint[]? ts = null)
    {
        var n = 200;
        var frame = new RideFrame(ts ?? Seconds(n), Fill(n, t => t is >= 60 and < 120 ? 300f : 100f),
            [RideColumn.Native(57, Fill(n, SmO2At)), RideColumn.Native(54, Fill(n, _ => 12f))], laps);
        return RideAnalyzer.Analyze(frame, options: NoFrozen with { EffortPowerW = 200, SmoothingWindowS = 0 });
    }

    private static readonly RideLap[] TwoLaps = [new(T0, T0 + 99), new(T0 + 100, T0 + 199)];

    [Fact]
    public void Lap_haemoglobin_is_from_the_laps_own_rows()
    {
        var c = Assert.Single(Ride(TwoLaps).Channels);
        // Lap 0 rows 0-99: SmO2 70 for 60 rows, then 70 - 0.5 k for k = 0..39 (mean 60.25 over those 40).
        var meanSmO2 = (60 * 70 + 40 * 60.25) / 100;
        Assert.Equal(Math.Round(12 * meanSmO2 / 100, 4), c.Laps[0].O2HbMean);
        Assert.Equal(Math.Round(12 - 12 * meanSmO2 / 100, 4), c.Laps[0].HHbMean);
    }

    [Fact]
    public void Lap_slope_zones_add_up_to_the_rides_when_laps_cover_it()
    {
        foreach (var ts in new[] { Seconds(200), Seconds(200).Select((t, i) => t + (uint)(i / 50)).ToArray() })
        {
            var c = Assert.Single(Ride([new(ts[0], ts[99]), new(ts[100], ts[199])], ts).Channels);
            var z = c.SlopeZones;
            Assert.True(z.FallingS > 0 && z.RisingS > 0, $"the ride falls and rises: {z}");
            Assert.Equal(z.RisingS, c.Laps.Sum(l => l.SlopeZones.RisingS));
            Assert.Equal(z.FlatS, c.Laps.Sum(l => l.SlopeZones.FlatS));
            Assert.Equal(z.FallingS, c.Laps.Sum(l => l.SlopeZones.FallingS));
            Assert.Equal(z.FreefallS, c.Laps.Sum(l => l.SlopeZones.FreefallS));
        }
    }

    [Fact]
    public void An_effort_belongs_to_the_lap_it_starts_in()
    {
        var c = Assert.Single(Ride(TwoLaps).Channels);
        Assert.Equal([0], c.Laps[0].Efforts);
        Assert.Empty(c.Laps[1].Efforts);
        Assert.Equal(1, c.Laps[0].EffortSummary.Count);
        Assert.Equal(c.Efforts[0].DesaturationRate, c.Laps[0].EffortSummary.DesaturationRate);
        Assert.Equal(EffortSummary.Empty, c.Laps[1].EffortSummary);
    }

    [Fact]
    public void Lap_power_bands_list_only_bands_the_lap_has_rows_in()
    {
        var c = Assert.Single(Ride(TwoLaps).Channels);
        // Lap 1 (rows 100-199): 300 W for 20 s, 100 W for 80 s.
        var lap = c.Laps[1].PowerBands;
        Assert.Equal(new[] { 100.0, 300.0 }, lap.Select(b => b.FromW));
        Assert.Equal(new[] { 80.0, 20.0 }, lap.Select(b => b.Seconds));
        // SmO2 in 300-350 W over rows 100-119: 70 - 0.5 (t - 60), t = 100..119: mean 45.25.
        Assert.Equal(45.25, lap[1].SmO2Mean);
        // The ride's band totals are the laps' totals.
        foreach (var band in c.PowerBands)
            Assert.Equal(band.Seconds, c.Laps.SelectMany(l => l.PowerBands).Where(b => b.FromW == band.FromW).Sum(b => b.Seconds));
    }

    [Fact]
    public void Overlapping_laps_each_get_their_own_totals()
    {
        var c = Assert.Single(Ride([new(T0, T0 + 149), new(T0 + 50, T0 + 199)]).Channels);
        Assert.Equal(new[] { 90.0, 60.0 }, c.Laps[0].PowerBands.Select(b => b.Seconds));
        Assert.Equal(new[] { 90.0, 60.0 }, c.Laps[1].PowerBands.Select(b => b.Seconds));
        Assert.Equal(new[] { 140.0, 60.0 }, c.PowerBands.Where(b => b.Seconds > 0).Select(b => b.Seconds));
        Assert.Equal([0], c.Laps[0].Efforts);
        Assert.Empty(c.Laps[1].Efforts);
    }
}
