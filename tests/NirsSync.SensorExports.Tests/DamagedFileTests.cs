namespace NirsSync.SensorExports.Tests;

/// <summary>Damaged and hostile files: a clear error naming the line and column, bounded work.</summary>
public class DamagedFileTests
{
    private const string MoxyHeader = "mm-dd,hh:mm:ss,SmO2 Live,SmO2 Averaged,THb,Lap,Session Ct\n";

    private static SensorExportException Fails(byte[] content, SensorExportOptions? o = null) =>
        Assert.Throws<SensorExportException>(() => SensorExportReader.Read(content, o));

    [Fact]
    public void Text_where_a_number_belongs_names_line_and_column()
    {
        var e = Fails(Samples.Text(" LUT Part Number: SN1614\n\n" + MoxyHeader + "06-Feb,13:17:13,56,56,13.01,7,719\n06-Feb,13:17:15,5x,55,12.89,7,719\n"));
        Assert.Equal((5, 3), (e.Line, e.Column));
        Assert.Equal(SensorExportFormat.MoxyCsv, e.Format);
        Assert.Contains("line 5, column 3 (C)", e.Message);
        Assert.Contains("'5x'", e.Message);
        Assert.Contains("SmO2 Live", e.Message);
    }

    [Fact]
    public void A_truncated_last_line_names_its_line()
    {
        var text = File.ReadAllText(Path.Combine(Samples.Root, "train.red_intervals.csv"));
        var cut = text[..(text.LastIndexOf('\n', text.Length - 2) + 12)];
        var e = Fails(Samples.Text(cut));
        Assert.Equal(12036, e.Line);
        Assert.Contains("column(s) where the header (line 41) has 12", e.Message);
    }

    [Fact]
    public void A_missing_column_is_named_at_the_header_line()
    {
        var e = Fails(Samples.Text(" FW Part Number: 1\n\nmm-dd,hh:mm:ss,SmO2 Averaged,THb\n06-Feb,13:17:13,56,13.01\n"));
        Assert.Equal(3, e.Line);
        Assert.Contains("no 'SmO2 Live' column", e.Message);
        var vo2 = Fails(Samples.Text("Time[s],HR[bpm],SmO2[%]\n0,120\n"));
        Assert.Equal((2, 0), (vo2.Line, vo2.Column));
        var noTime = Fails(Samples.Text("Time[hh:mm:ss],SmO2[%],HR[bpm]\n"));
        Assert.Equal(SensorExportFormat.Unknown, noTime.Format); // does not start "Time[s]": not detected as VO2 Master
    }

    [Fact]
    public void A_bad_date_or_time_and_time_going_back_name_their_cell()
    {
        Assert.Equal((2, 1), Place(Fails(Samples.Text(MoxyHeader + "31-Feb,13:17:13,56,56,13.01,7,719\n"))));
        Assert.Equal((3, 2), Place(Fails(Samples.Text(MoxyHeader + "06-Feb,13:17:13,56,56,13.01,7,719\n06-Feb,13:77:13,56,56,13.01,7,719\n"))));
        var back = Fails(Samples.Text(MoxyHeader + "06-Feb,13:17:13,56,56,13.01,7,719\n06-Feb,13:17:11,56,56,13.01,7,719\n"));
        Assert.Contains("time goes back", back.Message);
        Assert.Equal(3, back.Line);
    }

    [Fact]
    public void A_quote_left_open_names_its_field()
    {
        var e = Fails(Samples.Text("Time[s],Time[hh:mm:ss],HR[bpm],SmO2[%]\n0,00:00:00,120,\"55,5\n"));
        Assert.Equal((2, 4), Place(e));
        Assert.Contains("not closed", e.Message);
    }

    [Fact]
    public void Xlsx_text_in_a_number_column_names_the_sheet_row_and_column()
    {
        var xlsx = Samples.Xlsx([
            ["mm-dd", "hh:mm:ss", "SmO2 Live", "THb"],
            [45694, 0.5, 60, 12.5],
            [45694, 0.50002, "high", 12.5],
        ]);
        var e = Fails(xlsx);
        Assert.Equal((3, 3), Place(e));
        Assert.Contains("line 3, column 3 (C)", e.Message);
        Assert.Equal(SensorExportFormat.MoxyXlsx, e.Format);
    }

    [Fact]
    public void Files_in_no_format_say_so()
    {
        var e = Fails(Samples.Text("just,some\n1,2\n"));
        Assert.Contains("not a sensor export", e.Message);
        Assert.Contains("not a sensor export", Fails([0x50, 0x4B, 3, 4, 1, 2, 3, 4]).Message);
        Assert.Contains("not a sensor export", Fails([]).Message);
    }

    [Fact]
    public void Size_and_row_caps_bound_hostile_input()
    {
        var rows = string.Concat(Enumerable.Range(0, 50).Select(i => $"06-Feb,13:{i / 30 + 10}:{i % 30 * 2:00},56,56,13.01,7,719\n"));
        var big = Samples.Text(MoxyHeader + rows);
        var tooMany = Fails(big, new SensorExportOptions { MaxRows = 20 });
        Assert.Equal(22, tooMany.Line);
        Assert.Contains("more than 20 data rows", tooMany.Message);
        Assert.Contains("limit", Fails(big, new SensorExportOptions { MaxBytes = 100 }).Message);
        var stream = Assert.Throws<SensorExportException>(() => SensorExportReader.Read(new MemoryStream(big), new SensorExportOptions { MaxBytes = 100 }));
        Assert.Contains("larger than the limit of 100 bytes", stream.Message);
        var xlsx = Samples.Xlsx([["mm-dd", "hh:mm:ss", "SmO2 Live"], .. Enumerable.Range(0, 50).Select(i => new object?[] { 45694, 0.5 + i / 86400.0, 60 })]);
        Assert.Contains("unpacks to more than", Fails(xlsx, new SensorExportOptions { MaxUnpackedBytes = 1000 }).Message);
    }

    private static (int, int) Place(SensorExportException e) => (e.Line, e.Column);
}
