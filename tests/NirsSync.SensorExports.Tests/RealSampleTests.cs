using NirsSync.Analysis;

namespace NirsSync.SensorExports.Tests;

public class RealSampleTests
{
    private static SensorExport Read(string name, SensorExportOptions? o = null) =>
        SensorExportReader.Read(Samples.Bytes(name), o ?? new SensorExportOptions
        {
            TimeZone = Samples.Berlin, Reference = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        });

    [Fact]
    public void Detection_tells_each_sample_by_its_content()
    {
        Assert.Equal(SensorExportFormat.MoxyCsv, SensorExportReader.Detect(Samples.Bytes("moxy_intervals.csv")));
        Assert.Equal(SensorExportFormat.TrainRedCsv, SensorExportReader.Detect(Samples.Bytes("train.red_intervals.csv")));
        Assert.Equal(SensorExportFormat.MoxyXlsx, SensorExportReader.Detect(Samples.Bytes("moxy_ramp.xlsx")));
        Assert.Equal(SensorExportFormat.Unknown, SensorExportReader.Detect(Samples.Bytes("README.md")));
    }

    [Fact]
    public void Moxy_csv_is_one_sensor_at_half_a_hertz_named_by_its_LUT_serial()
    {
        var e = Read("moxy_intervals.csv");
        Assert.Equal(SensorExportFormat.MoxyCsv, e.Format);
        Assert.Equal(931, e.Count);
        Assert.Equal(31 * 60, e.DurationS, 3);
        Assert.Equal(0.5, e.SampleRateHz, 3);
        var c = Assert.Single(e.Channels);
        Assert.Equal(1614u, c.Sensor);
        Assert.NotNull(c.THb);
        Assert.Null(c.O2Hb);
        var smo2 = c.SmO2!.Where(float.IsFinite).ToArray();
        var thb = c.THb!.Where(float.IsFinite).ToArray();
        Assert.Equal(930, smo2.Length); // 13:27:49 has SmO2 Live 0: no reading
        Assert.True(float.IsNaN(c.SmO2![318]));
        Assert.InRange(smo2.Min(), 1, 40);
        Assert.InRange(smo2.Max(), 60, 100);
        Assert.InRange(thb.Min(), 11, 14);
        Assert.InRange(thb.Max(), 12, 14);
        Assert.Equal(56, c.SmO2![0]);
        Assert.Equal(13.01f, c.THb![0]);
        // 06-Feb 13:17:13 in Berlin (CET, +1), the year closest before the reference 2026-12-01.
        Assert.Equal(StartSource.File, e.StartSource);
        Assert.Equal(new DateTimeOffset(2026, 2, 6, 12, 17, 13, TimeSpan.Zero), e.Start);
        // The Lap column holds 7 throughout: one lap, the whole recording.
        var lap = Assert.Single(e.Laps);
        Assert.Equal((7, 0.0, 1860.0), (lap.Number, lap.StartS, lap.EndS));
    }

    [Fact]
    public void Moxy_csv_takes_the_previous_year_when_the_reference_is_before_its_day()
    {
        var e = Read("moxy_intervals.csv", new SensorExportOptions
        {
            TimeZone = Samples.Berlin, Reference = new DateTimeOffset(2026, 2, 6, 12, 0, 0, TimeSpan.Zero),
        });
        Assert.Equal(new DateTimeOffset(2025, 2, 6, 12, 17, 13, TimeSpan.Zero), e.Start);
    }

    [Fact]
    public void Train_red_is_two_placed_sensors_at_ten_hertz_with_arbitrary_unit_haemoglobin()
    {
        var e = Read("train.red_intervals.csv");
        Assert.Equal(SensorExportFormat.TrainRedCsv, e.Format);
        Assert.Equal(11995, e.Count);
        Assert.Equal(3295.48 - 2084.15, e.DurationS, 2);
        Assert.InRange(e.SampleRateHz, 8, 12);
        Assert.Equal(2, e.Channels.Count);
        var (right, left) = (e.Channels[0], e.Channels[1]);
        Assert.Equal(("Train.Red FYER 0673", 673u, "legRightUpperFront", 10, Region.Quadriceps, Side.Right),
            (right.Name, right.Sensor!.Value, right.Position, right.BodyLocation!.Value, right.Region, right.Side));
        Assert.Equal(("Train.Red FYER 0702", 702u, "legLeftUpperFront", 4, Region.Quadriceps, Side.Left),
            (left.Name, left.Sensor!.Value, left.Position, left.BodyLocation!.Value, left.Region, left.Side));
        foreach (var c in e.Channels)
        {
            Assert.Null(c.THb); // arbitrary units never pass for g/dL
            Assert.NotNull(c.O2Hb);
            Assert.NotNull(c.HHb);
            Assert.NotNull(c.SmO2Unfiltered);
            var smo2 = c.SmO2!.Where(float.IsFinite).ToArray();
            Assert.Equal(e.Count, smo2.Length);
            Assert.InRange(smo2.Min(), 20, 60);
            Assert.InRange(smo2.Max(), 65, 90);
            Assert.Contains(c.O2Hb!, v => v < 0);
        }
        Assert.Equal(67.7f, right.SmO2![0]);
        Assert.Equal(-6.96f, right.O2Hb![0]);
        Assert.Equal(-3.52f, left.HHb![0]);
        // Session at 2025-05-06 2:15 p.m. Berlin (CEST, +2), plus the first timestamp 2084.15 s.
        Assert.Equal(new DateTimeOffset(2025, 5, 6, 12, 15, 0, TimeSpan.Zero).AddSeconds(2084.15), e.Start);
    }

    [Fact]
    public void Train_red_laps_are_the_known_work_intervals()
    {
        var e = Read("train.red_intervals.csv");
        Assert.Equal([1, 2, 3, 4, 5], e.Laps.Select(l => l.Number));
        // README: work from 65.94 to 368.11 s and from 788.13 to 1083.83 s (last samples before the next lap).
        Assert.Equal(65.94, e.Laps[1].StartS, 2);
        Assert.Equal(368.39, e.Laps[1].EndS, 2);
        Assert.Equal(788.23, e.Laps[3].StartS, 2);
        Assert.Equal(1083.93, e.Laps[3].EndS, 2);
        var lastOfLap2 = e.TimeS.Last(t => t < e.Laps[1].EndS);
        Assert.Equal(368.11, lastOfLap2, 2);
        Assert.Equal(e.DurationS, e.Laps[^1].EndS, 6);
    }

    [Fact]
    public void Moxy_ramp_xlsx_reads_its_deliberate_errors_as_missing_values()
    {
        var e = Read("moxy_ramp.xlsx");
        Assert.Equal(SensorExportFormat.MoxyXlsx, e.Format);
        Assert.Equal(2202, e.Count);
        Assert.InRange(e.SampleRateHz, 1.7, 1.9);
        Assert.Equal(2, e.Channels.Count);
        var (one, two) = (e.Channels[0], e.Channels[1]);
        Assert.Equal(1615u, one.Sensor);
        Assert.Null(two.Sensor);
        Assert.Null(one.THb);
        // Sheet rows 7.. are samples 0..: rows 118-163 and 1096-1157 have no SmO2 Live; rows 1225-1229 hold 0.
        Assert.All(Enumerable.Range(118 - 7, 163 - 118 + 1), i => Assert.True(float.IsNaN(one.SmO2![i])));
        Assert.All(Enumerable.Range(1096 - 7, 1157 - 1096 + 1), i => Assert.True(float.IsNaN(one.SmO2![i])));
        Assert.All(Enumerable.Range(1225 - 7, 5), i => Assert.True(float.IsNaN(one.SmO2![i])));
        Assert.Equal(54, one.SmO2![0]);
        Assert.Equal(20, two.SmO2![1096 - 7]); // the other channel goes on
        var missing = one.SmO2.Count(float.IsNaN);
        Assert.Equal(46 + 62 + 13, missing);
        Assert.DoesNotContain(two.SmO2!, float.IsNaN);
        // Excel's day serial 45694 is 2025-02-06; the time is text "0:29:00.41" on the sensor's clock.
        Assert.Equal(new DateTimeOffset(2025, 2, 6, 0, 29, 0, 410, TimeSpan.FromHours(1)), e.Start);
        Assert.Equal([1, 2, 3], e.Laps.Select(l => l.Number));
    }

    [Fact]
    public void Train_red_becomes_a_one_hertz_ride_whose_channels_take_muscles_from_the_map()
    {
        var e = Read("train.red_intervals.csv");
        var frame = e.ToRideFrame();
        // One row per second that has samples (the recording has a few seconds without any).
        var origin = e.Start!.Value.ToUnixTimeMilliseconds() / 1000.0;
        Assert.Equal(e.TimeS.Select(t => Math.Floor(origin + t)).Distinct().Count(), frame.Count);
        Assert.InRange(frame.Count, 1150, 1213);
        Assert.True(frame.IsInTimeOrder);
        Assert.Equal(5, frame.Laps.Count);
        var map = new SensorMap([new SensorAssignment(673, Muscle.VastusLateralis, Side.Right), new SensorAssignment(702, Muscle.VastusLateralis, Side.Left)]);
        var channels = ChannelDiscovery.Discover(frame, map);
        Assert.Equal(2, channels.Count);
        Assert.Equal((673u, Muscle.VastusLateralis, Side.Right, Region.Quadriceps, IdentitySource.AthleteMap),
            (channels[0].Info.Sensor!.Value, channels[0].Info.Muscle, channels[0].Info.Side, channels[0].Info.Region, channels[0].Info.Source));
        Assert.Equal((702u, Muscle.VastusLateralis, Side.Left), (channels[1].Info.Sensor!.Value, channels[1].Info.Muscle, channels[1].Info.Side));
        Assert.Null(channels[0].THb);
        // Without a map the file's position still gives region and side.
        var unmapped = ChannelDiscovery.Discover(frame);
        Assert.Equal((Region.Quadriceps, Side.Right, IdentitySource.FileLocation),
            (unmapped[0].Info.Region, unmapped[0].Info.Side, unmapped[0].Info.Source));
        var analysis = RideAnalyzer.Analyze(frame, map);
        Assert.Equal(2, analysis.Channels.Count);
        Assert.Single(analysis.Pairs);
    }

    [Fact]
    public void Moxy_csv_ride_frame_keeps_its_two_second_rows_and_tHb()
    {
        var e = Read("moxy_intervals.csv");
        var frame = e.ToRideFrame();
        Assert.Equal(931, frame.Count);
        Assert.Equal(2u, frame.Timestamp[1] - frame.Timestamp[0]);
        var c = Assert.Single(ChannelDiscovery.Discover(frame, new SensorMap([new SensorAssignment(1614, Muscle.VastusLateralis, Side.Left)])));
        Assert.Equal((1614u, Muscle.VastusLateralis, Side.Left), (c.Info.Sensor!.Value, c.Info.Muscle, c.Info.Side));
        Assert.Equal(13.01f, c.THb![0]);
    }
}
