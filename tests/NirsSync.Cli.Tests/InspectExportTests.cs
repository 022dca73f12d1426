using System.Text.Json;

namespace NirsSync.Cli.Tests;

public class InspectExportTests
{
    private static string Sample(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NirsSync.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "sensor-exports", name));
    }

    private static (int Code, string Out, string Err) Run(string path, bool json, string[] map, string? start = null, string? zone = "Europe/Berlin")
    {
        using var output = new MemoryStream();
        var error = new StringWriter();
        var code = InspectCommand.Run(new FileInfo(path), json, output, error, map, start, zone);
        return (code, System.Text.Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    [Fact]
    public void Train_red_export_is_inspected_with_muscles_from_the_map()
    {
        var (code, text, err) = Run(Sample("train.red_intervals.csv"), json: true, ["673=vastus_lateralis:right,702=vastus_lateralis:left"]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(text);
        var channels = doc.RootElement.GetProperty("channels");
        Assert.Equal(2, channels.GetArrayLength());
        Assert.Equal((673, "vastus_lateralis", "right", "athlete_map"), (channels[0].GetProperty("sensor").GetInt32(),
            channels[0].GetProperty("muscle").GetString(), channels[0].GetProperty("side").GetString(), channels[0].GetProperty("source").GetString()));
        Assert.Equal(JsonValueKind.Null, channels[0].GetProperty("thb").GetProperty("p50").ValueKind);
        Assert.Equal(1, doc.RootElement.GetProperty("pairs").GetArrayLength());
        var export = doc.RootElement.GetProperty("export");
        Assert.Equal("train_red_csv", export.GetProperty("format").GetString());
        Assert.Equal(5, export.GetProperty("laps").GetArrayLength());
        Assert.Equal("legRightUpperFront", export.GetProperty("sensors")[0].GetProperty("position").GetString());
    }

    [Fact]
    public void Start_override_places_the_moxy_export_and_the_time_zone_reads_its_clock()
    {
        var (code, text, _) = Run(Sample("moxy_intervals.csv"), json: true, [], start: "2024-02-06T13:17:13+01:00");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(new DateTimeOffset(2024, 2, 6, 12, 17, 13, TimeSpan.Zero), doc.RootElement.GetProperty("start").GetDateTimeOffset());
        Assert.Equal("override", doc.RootElement.GetProperty("export").GetProperty("start_source").GetString());
        var (_, plain, _) = Run(Sample("moxy_intervals.csv"), json: false, [], zone: "America/New_York");
        Assert.Contains("T13:17:13.0000000-05:00 (File)", plain);
        Assert.Contains("sensor 1614", plain);
    }

    [Fact]
    public void Bad_time_zone_or_start_is_a_usage_error()
    {
        var (code, _, err) = Run(Sample("moxy_intervals.csv"), json: false, [], zone: "Mars/Olympus");
        Assert.Equal(2, code);
        Assert.Contains("--time-zone", err);
        (code, _, err) = Run(Sample("moxy_intervals.csv"), json: false, [], start: "yesterday");
        Assert.Equal(2, code);
        Assert.Contains("--start", err);
    }

    [Fact]
    public void Export_without_a_date_asks_for_start_and_a_damaged_one_names_line_and_column()
    {
        var dir = Directory.CreateTempSubdirectory("nirssync-inspect-");
        try
        {
            var vo2 = Path.Combine(dir.FullName, "session.bin");
            File.WriteAllText(vo2, "Time[s],Time[hh:mm:ss],HR[bpm],SmO2[%],THb[THb]\n0,00:00:00,120,\"55,5\",\"13,8\"\n1,00:00:01,121,\"55,0\",\"13,7\"\n");
            var (code, _, err) = Run(vo2, json: false, []);
            Assert.Equal(2, code);
            Assert.Contains("--start", err);
            (code, var text, _) = Run(vo2, json: false, [], start: "2026-02-06T13:17:13+01:00");
            Assert.Equal(0, code);
            Assert.Contains("export Vo2MasterCsv", text);
            File.WriteAllText(vo2, "Time[s],Time[hh:mm:ss],HR[bpm],SmO2[%],THb[THb]\n0,00:00:00,120,\"55,5\",\"13,8\"\n1,00:00:01,121,abc,\"13,7\"\n");
            (code, _, err) = Run(vo2, json: false, [], start: "2026-02-06T13:17:13+01:00");
            Assert.Equal(1, code);
            Assert.Contains("line 3, column 4 (D)", err);
        }
        finally { dir.Delete(true); }
    }
}
