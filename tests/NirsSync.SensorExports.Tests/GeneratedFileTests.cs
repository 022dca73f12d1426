using NirsSync.Analysis;

namespace NirsSync.SensorExports.Tests;

/// <summary>Each format's corner cases on small generated files.</summary>
public class GeneratedFileTests
{
    private static readonly DateTimeOffset Reference = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static SensorExport Read(string text, SensorExportOptions? o = null) =>
        SensorExportReader.Read(Samples.Text(text), o ?? new SensorExportOptions { TimeZone = Samples.Berlin, Reference = Reference });

    [Fact]
    public void Moxy_csv_across_new_year_takes_the_year_before_the_reference_and_the_next_year_after_midnight()
    {
        var e = Read(" FW Part Number: 2000195 v1.3\n SensorID: 3612\n\nmm-dd,hh:mm:ss,SmO2 Live,SmO2 Averaged,THb,Lap,Session Ct\n"
            + "31-Dec,23:59:58,60,60,12.5,1,3\n01-Jan,00:00:00,59,60,12.4,1,3\n01-Jan,00:00:02,58,59,12.3,2,3\n");
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 22, 59, 58, TimeSpan.Zero), e.Start);
        Assert.Equal([0.0, 2, 4], e.TimeS);
        Assert.Equal(3612u, Assert.Single(e.Channels).Sensor); // SensorID beats no LUT line
        Assert.Equal([1, 2], e.Laps.Select(l => l.Number));
    }

    [Fact]
    public void Moxy_csv_without_a_year_before_the_reference_day_goes_back_a_year()
    {
        // 06-Feb 13:17 is after the reference 2026-01-10: the closest 06-Feb before it is in 2025.
        var e = Read("mm-dd,hh:mm:ss,SmO2 Live,SmO2 Averaged,THb,Lap,Session Ct\n06-Feb,13:17:13,56,56,13.01,7,719\n06-Feb,13:17:15,55,55,12.89,7,719\n");
        Assert.Equal(new DateTimeOffset(2025, 2, 6, 13, 17, 13, TimeSpan.FromHours(1)), e.Start);
        var given = Read("mm-dd,hh:mm:ss,SmO2 Live,SmO2 Averaged,THb,Lap,Session Ct\n06-Feb,13:17:13,56,56,13.01,7,719\n",
            new SensorExportOptions { TimeZone = Samples.Berlin, Start = new DateTimeOffset(2026, 2, 6, 13, 17, 13, TimeSpan.FromHours(1)) });
        Assert.Equal((StartSource.Override, new DateTimeOffset(2026, 2, 6, 12, 17, 13, TimeSpan.Zero)), (given.StartSource, given.Start!.Value));
    }

    [Fact]
    public void Moxy_csv_with_two_sensors_and_a_repeated_column_name_is_two_channels()
    {
        // "SmO2 Live(2)" and a second plain "THb" both belong to the second sensor.
        var e = Read(" LUT Part Number: SN1614 v0.0.4\n LUT Part Number: SN1615 v0.0.4\n\n"
            + "mm-dd,hh:mm:ss,SmO2 Live,THb,SmO2 Live(2),THb\n06-Feb,10:00:00,50,12.1,70,11.5\n06-Feb,10:00:02,0,12.0,71,0\n");
        Assert.Equal(2, e.Channels.Count);
        Assert.Equal((1614u, 1615u), (e.Channels[0].Sensor!.Value, e.Channels[1].Sensor!.Value));
        Assert.Equal([70f, 71f], e.Channels[1].SmO2!);
        Assert.Equal(11.5f, e.Channels[1].THb![0]);
        Assert.True(float.IsNaN(e.Channels[1].THb![1]));
        Assert.True(float.IsNaN(e.Channels[0].SmO2![1]));
    }

    [Fact]
    public void Moxy_xlsx_reads_day_serials_and_excel_time_fractions()
    {
        var xlsx = Samples.Xlsx([
            [" FW Part Number: 2000195 v1.3"], [" LUT Part Number: SN1614 v0.0.4"], [],
            ["mm-dd", "hh:mm:ss", "SmO2 Live", "SmO2 Averaged", "THb", "Lap", "Session Ct"],
            [45694, 0.5, 60, 60, 12.5, 1, 3],                 // 2025-02-06 12:00:00
            [45694, 0.5 + 2.0 / 86400, 59, 60, 12.4, 1, 3],   // 12:00:02
            [45694, 0.5 + 4.0 / 86400, 0, 60, 12.3, 1, 3],    // SmO2 0: missing
        ]);
        Assert.Equal(SensorExportFormat.MoxyXlsx, SensorExportReader.Detect(xlsx));
        var e = SensorExportReader.Read(xlsx, new SensorExportOptions { TimeZone = Samples.Berlin, Reference = Reference });
        Assert.Equal(new DateTimeOffset(2025, 2, 6, 11, 0, 0, TimeSpan.Zero), e.Start);
        Assert.Equal([0.0, 2, 4], e.TimeS);
        var c = Assert.Single(e.Channels);
        Assert.Equal(1614u, c.Sensor);
        Assert.Equal(12.4f, c.THb![1]);
        Assert.True(float.IsNaN(c.SmO2![2]));
    }

    [Fact]
    public void Moxy_xlsx_error_cells_are_missing_and_inline_text_times_are_read()
    {
        var xlsx = Samples.Xlsx([
            ["mm-dd", "hh:mm:ss", "SmO2 Live", "THb"],
            [45694, new XlsxInline("10:00:00"), 60, new XlsxError("#N/A")],
            [45694, new XlsxInline("10:00:02"), new XlsxError("#DIV/0!"), 12.5],
        ]);
        var e = SensorExportReader.Read(xlsx, new SensorExportOptions { TimeZone = TimeZoneInfo.Utc });
        var c = Assert.Single(e.Channels);
        Assert.True(float.IsNaN(c.THb![0]));
        Assert.True(float.IsNaN(c.SmO2![1]));
        Assert.Equal((60f, 12.5f), (c.SmO2[0], c.THb[1]));
        Assert.Equal(new DateTimeOffset(2025, 2, 6, 10, 0, 0, TimeSpan.Zero), e.Start);
    }

    private const string Vo2Header = "Time[s],Time[hh:mm:ss],HR[bpm],SmO2[%],SmO2 -  2[%],SmO2 -  3[%],THb[THb],THb -  2[THb],THb -  3[THb],RPM[rpm],Speed[km/h],RR[ms]\n";

    [Fact]
    public void Vo2_master_reads_decimal_commas_and_leaves_out_the_empty_slot()
    {
        var text = Vo2Header
            + "0,00:00:00,120,\"55,50\",\"0,00\",\"70,25\",\"13,80\",\"0,00\",\"12,10\",85,\"36,00\",500\n"
            + "1,00:00:01,121,\"54,75\",\"0,00\",\"69,50\",\"13,75\",\"0,00\",\"12,05\",86,\"36,00\",498\n"
            + "2,00:00:02,0,\"0,00\",\"0,00\",\"69,00\",\"0,00\",\"0,00\",\"12,00\",0,\"0,00\",\n";
        Assert.Equal(SensorExportFormat.Vo2MasterCsv, SensorExportReader.Detect(Samples.Text(text)));
        var e = Read(text);
        Assert.Equal(StartSource.None, e.StartSource);
        Assert.Null(e.Start);
        Assert.Equal(2, e.Channels.Count);
        Assert.Equal([1u, 3u], e.Channels.Select(c => c.Sensor!.Value));
        Assert.Equal(55.5f, e.Channels[0].SmO2![0]);
        Assert.Equal(13.8f, e.Channels[0].THb![0]);
        Assert.Equal(69.5f, e.Channels[1].SmO2![1]);
        Assert.True(float.IsNaN(e.Channels[0].SmO2![2]));
        Assert.Equal([120f, 121f], e.HeartRate![..2]);
        Assert.True(float.IsNaN(e.HeartRate![2]));
        Assert.Equal(0f, e.Cadence![2]);
        Assert.Equal(10f, e.Speed![0], 4);
        Assert.Equal(1.0, e.SampleRateHz, 6);
        var ex = Assert.Throws<InvalidOperationException>(() => e.ToRideFrame());
        Assert.Contains("--start", ex.Message);
        var start = new DateTimeOffset(2026, 2, 6, 13, 17, 13, TimeSpan.FromHours(1));
        var frame = e.ToRideFrame(start);
        Assert.Equal(start, frame.Start);
        Assert.Equal(3, frame.Count);
        Assert.Equal(2, ChannelDiscovery.Discover(frame).Count);
    }

    [Fact]
    public void Train_red_newer_layout_keeps_THb_unfiltered_out_of_tHb()
    {
        var text = "Train.Red Export for,Session at 2026-01-05 9:05 a.m.,,,,,,,,,,,,,,,,,,\n"
            + "Sensor 1,Train.Red FYER,,\nSensor ID,Train.Red FYER 0673,,\nSensor Position,legRightUpperBack,,\n,,\n"
            + "Sensor 2,Train.Red FYER,,\nSensor ID,Train.Red FYER 0702,,\nSensor Position,,,\n"
            + "Lap 1,Duration,12,,\n"
            + ",,,Train.Red FYER 0673,,,,,,,,,,Train.Red FYER 0702,,,,,,,,\n"
            + "Timestamp (seconds passed),Lap/Event,,SmO2,HBDiff,Muscle state,Muscle trend,SmO2 unfiltered,O2HB unfiltered,HHb unfiltered,THb unfiltered,HBDiff unfiltered,,"
            + "SmO2,HBDiff,Muscle state,Muscle trend,SmO2 unfiltered,O2HB unfiltered,HHb unfiltered,THb unfiltered,HBDiff unfiltered\n"
            + "0.05,1,,60.5,1.2,Oxygenating,up,60.1,2.5,1.3,3.8,1.2,,70.5,1.1,Steady,flat,70.2,-2.5,-1.4,-3.9,-1.1\n"
            + "0.15,1,,60.6,1.2,Oxygenating,up,60.3,2.6,1.3,3.9,1.3,,70.4,1.1,Steady,flat,70.1,-2.4,-1.4,-3.8,-1.0\n"
            + "1.25,2,,60.7,1.2,Oxygenating,up,60.3,2.6,1.3,3.9,1.3,,0,1.1,Steady,flat,70.1,-2.4,-1.4,-3.8,-1.0\n";
        var e = Read(text);
        Assert.Equal(2, e.Channels.Count);
        var (a, b) = (e.Channels[0], e.Channels[1]);
        Assert.Equal((673u, Region.Hamstrings, Side.Right, 9), (a.Sensor!.Value, a.Region, a.Side, a.BodyLocation!.Value));
        Assert.Equal((702u, Region.Unknown, (int?)null), (b.Sensor!.Value, b.Region, b.BodyLocation));
        Assert.Null(a.THb);
        Assert.Equal([2.5f, 2.6f, 2.6f], a.O2Hb!);
        Assert.Equal(-1.4f, b.HHb![0]);
        Assert.True(float.IsNaN(b.SmO2![2]));
        Assert.Equal([1, 2], e.Laps.Select(l => l.Number));
        // 9:05 a.m. in Berlin (CET) plus the first timestamp.
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 5, 0, 50, TimeSpan.Zero), e.Start);
    }

    [Fact]
    public void PerfPro_reads_serials_power_and_laps_and_averages_rows_into_seconds()
    {
        var rows = new List<object?[]>
        {
            new object?[] { "PerfPRO Studio v8.26.02" },
            new object?[] { "FILENAME", "ride.3dp" },
            new object?[] { "Time", "MS", "MSDiff", "Watts", "W'%", "LOAD", "HR", "Cadence", "Speed", "Distance", "Grade%", "Lap", "SS", "SSL", "SSR",
                "PwrL", "PwrR", "TorqL", "TorqR", "SmO2 (1614)", "ThB (1614)", "SmO2 (1615)", "ThB (1615)" },
        };
        for (var i = 0; i < 8; i++)
            rows.Add(["0:00:0" + i / 4, i * 250, 250, 200 + i, 80, 1, 140, 90, 30, i, 0, i < 4 ? 1 : 2, 0, 0, 0, 100, 100, 10, 10,
                60 - i, 12.0 + i / 100.0, i == 5 ? 0 : 70 + i, i == 6 ? null : 11.0]); // row 6: the last cell left out, as Excel does
        var xlsx = Samples.Xlsx(rows);
        Assert.Equal(SensorExportFormat.PerfProXlsx, SensorExportReader.Detect(xlsx));
        var e = SensorExportReader.Read(xlsx, new SensorExportOptions { Start = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero) });
        Assert.Equal(4.0, e.SampleRateHz, 6);
        Assert.Equal([1614u, 1615u], e.Channels.Select(c => c.Sensor!.Value));
        Assert.Equal(207f, e.Power![7]);
        Assert.True(float.IsNaN(e.Channels[1].SmO2![5]));
        Assert.True(float.IsNaN(e.Channels[1].THb![6]));
        Assert.Equal(11f, e.Channels[1].THb![7]);
        Assert.Equal([1, 2], e.Laps.Select(l => l.Number));
        Assert.Equal(1.0, e.Laps[1].StartS, 6);
        var frame = e.ToRideFrame();
        Assert.Equal(2, frame.Count);
        Assert.Equal(201.5f, frame.Power![0]);
        Assert.Equal(205.5f, frame.Power![1]);
        Assert.Equal(2, frame.Laps.Count);
    }

    [Fact]
    public void Detection_reads_content_only_and_tells_FIT_from_exports()
    {
        var fit = new byte[] { 14, 0x10, 0, 0, 0, 0, 0, 0, (byte)'.', (byte)'F', (byte)'I', (byte)'T', 0, 0 };
        Assert.Equal(SensorExportFormat.Fit, SensorExportReader.Detect(fit));
        Assert.False(SensorExportReader.TryDetect(new MemoryStream(fit), out var f));
        Assert.Equal(SensorExportFormat.Fit, f);
        var ex = Assert.Throws<SensorExportException>(() => SensorExportReader.Read(fit));
        Assert.Contains("FIT file", ex.Message);
        using var stream = new MemoryStream(Samples.Text(Vo2Header + "0,00:00:00,120,55,0,0,13,0,0,85,36,500\n"));
        Assert.True(SensorExportReader.TryDetect(stream, out var v));
        Assert.Equal((SensorExportFormat.Vo2MasterCsv, 0L), (v, stream.Position));
        Assert.Equal(SensorExportFormat.Unknown, SensorExportReader.Detect(Samples.Text("date,power\n2026-01-01,200\n")));
        Assert.Equal(SensorExportFormat.Unknown, SensorExportReader.Detect(Samples.Xlsx([["hello", 1]])));
        Assert.Equal(SensorExportFormat.Unknown, SensorExportReader.Detect([0x50, 0x4B, 3, 4, 0, 0, 0]));
    }
}
