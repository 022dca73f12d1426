using System.Text.Json;

namespace NirsSync.Cli.Tests;

public class InspectTests
{
    private static string CorpusFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NirsSync.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fit-corpus", relative));
    }

    private static (int Code, string Out, string Err) Run(string path, bool json, params string[] map)
    {
        using var output = new MemoryStream();
        var error = new StringWriter();
        var code = InspectCommand.Run(new FileInfo(path), json, output, error, map);
        return (code, System.Text.Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    [Fact]
    public void Json_has_the_contract_keys_for_every_channel_and_pair()
    {
        var (code, text, _) = Run(CorpusFile("runalyze/moxy-2sensors.fit"), json: true);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(text);
        var channels = doc.RootElement.GetProperty("channels");
        Assert.Equal(2, channels.GetArrayLength());
        foreach (var c in channels.EnumerateArray())
        {
            foreach (var key in new[] { "id", "sensor", "muscle", "side", "source", "samples", "valid_fraction", "smo2", "thb" })
                Assert.True(c.TryGetProperty(key, out _), $"missing {key}");
            foreach (var key in new[] { "p5", "p50", "p95", "min", "max" })
                Assert.InRange(c.GetProperty("smo2").GetProperty(key).GetDouble(), 40, 75);
            foreach (var key in new[] { "p5", "p50", "p95" })
                Assert.InRange(c.GetProperty("thb").GetProperty(key).GetDouble(), 12, 13);
            Assert.Equal(84, c.GetProperty("samples").GetInt32());
            Assert.Equal(JsonValueKind.Null, c.GetProperty("sensor").ValueKind);
            Assert.Equal("unknown", c.GetProperty("muscle").GetString());
        }
        Assert.Equal("0:0", channels[0].GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("pairs").ValueKind);
    }

    [Fact]
    public void Json_names_sensor_side_and_source_from_the_file()
    {
        var (code, text, _) = Run(CorpusFile("runalyze/moxy-float.fit"), json: true);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(text);
        var c = doc.RootElement.GetProperty("channels").EnumerateArray().Single();
        Assert.Equal(665, c.GetProperty("sensor").GetInt32());
        Assert.Equal("left", c.GetProperty("side").GetString());
        Assert.Equal("file_location", c.GetProperty("source").GetString());
        Assert.Equal(0.9944, c.GetProperty("valid_fraction").GetDouble());
    }

    [Fact]
    public void Map_places_a_sensor_the_file_only_puts_on_a_region()
    {
        var (code, text, err) = Run(CorpusFile("runalyze/moxy-float.fit"), true, "665=vastus_medialis:left");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(text);
        var c = doc.RootElement.GetProperty("channels").EnumerateArray().Single();
        Assert.Equal(("vastus_medialis", "left", "athlete_map"),
            (c.GetProperty("muscle").GetString(), c.GetProperty("side").GetString(), c.GetProperty("source").GetString()));
    }

    [Fact]
    public void Map_can_be_the_servers_json_shape_with_codes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"map-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """[{"device": 2001, "muscle": 6, "side": 2}, {"device": 665, "muscle": 1, "side": 1}]""");
        try
        {
            var (code, text, err) = Run(CorpusFile("runalyze/moxy-float.fit"), true, path);
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(text);
            var c = doc.RootElement.GetProperty("channels").EnumerateArray().Single();
            Assert.Equal("vastus_lateralis", c.GetProperty("muscle").GetString());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Map_for_other_sensors_changes_nothing()
    {
        var (_, plain, _) = Run(CorpusFile("runalyze/moxy-float.fit"), json: true);
        var (code, mapped, _) = Run(CorpusFile("runalyze/moxy-float.fit"), true, "1234=deltoid:right");
        Assert.Equal(0, code);
        Assert.Equal(plain, mapped);
    }

    [Fact]
    public void A_map_file_the_server_would_refuse_is_refused_with_the_servers_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"map-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """[{"device": 665, "muscle": 12, "side": 1}]""");
        try
        {
            var (code, _, err) = Run(CorpusFile("runalyze/moxy-float.fit"), true, path);
            Assert.Equal(2, code);
            Assert.Contains("muscle 12 of device 665 is not a muscle code (0-11)", err);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("665", "not DEVICE=MUSCLE[:SIDE]")]
    [InlineData("70000=vastus_lateralis", "'70000' in '70000=vastus_lateralis' is not an ANT device number")]
    [InlineData("665=biceps:left", "'biceps' in '665=biceps:left' is not a muscle")]
    [InlineData("665=deltoid:up", "'up' in '665=deltoid:up' is not a side")]
    [InlineData("665=deltoid,665=vastus_lateralis", "sensor 665 is mapped twice")]
    public void A_bad_map_is_exit_code_2_naming_what_is_wrong(string map, string message)
    {
        var (code, text, err) = Run(CorpusFile("runalyze/moxy-float.fit"), true, map);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Equal("", text);
    }

    [Fact]
    public void Channel_without_thb_has_null_thb_statistics()
    {
        var (_, text, _) = Run(CorpusFile("goldencheetah/Indoor_Cycling2smO2sensors.fit"), json: true);
        using var doc = JsonDocument.Parse(text);
        foreach (var c in doc.RootElement.GetProperty("channels").EnumerateArray())
            Assert.Equal(JsonValueKind.Null, c.GetProperty("thb").GetProperty("p50").ValueKind);
    }

    [Fact]
    public void Text_lists_the_channels()
    {
        var (code, text, _) = Run(CorpusFile("goldencheetah/Indoor_Cycling2smO2sensors.fit"), json: false);
        Assert.Equal(0, code);
        Assert.Contains("2 muscle-oxygen channel(s)", text);
        Assert.Contains("0:3", text);
        Assert.Contains("1:3", text);
    }

    [Fact]
    public void Missing_file_is_exit_code_2_with_its_name()
    {
        var (code, _, err) = Run("/nonexistent/ride.fit", json: true);
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/ride.fit: no such file", err);
    }

    [Fact]
    public void A_file_that_is_not_FIT_is_exit_code_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"inspect-{Guid.NewGuid():N}.fit");
        File.WriteAllText(path, "this is not a FIT file at all");
        try
        {
            var (code, _, err) = Run(path, json: false);
            Assert.Equal(1, code);
            Assert.Contains(Path.GetFileName(path), err);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Across_the_corpus_only_the_Moxy_files_have_channels_and_nothing_crashes()
    {
        var root = CorpusFile("");
        var withChannels = new List<string>();
        var files = Directory.GetFiles(root, "*.fit", SearchOption.AllDirectories);
        Assert.True(files.Length > 50, $"corpus at {root} has {files.Length} FIT files");
        foreach (var file in files)
        {
            var (code, text, err) = Run(file, json: true);
            // 0 for a sound file; 1 only for a damaged one, whose readable part is still analysed.
            Assert.True(code == 0 || err.Contains("analysing what was readable"), $"{file}: exit {code}: {err}");
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.GetProperty("channels").GetArrayLength() > 0)
                withChannels.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
        }
        withChannels.Sort(StringComparer.Ordinal);
        Assert.Equal(["goldencheetah/Indoor_Cycling2smO2sensors.fit", "runalyze/moxy-2sensors.fit", "runalyze/moxy-float.fit"], withChannels);
    }

    [Fact]
    public void Inspect_is_registered_on_the_root_command()
    {
        Assert.Contains(Program.BuildRoot().Subcommands, c => c.Name == "inspect");
    }

    [Fact]
    public void Given_efforts_list_each_channels_kinetics_with_the_contract_keys()
    {
        using var output = new MemoryStream();
        var error = new StringWriter();
        var code = InspectCommand.Run(new FileInfo(CorpusFile("runalyze/moxy-float.fit")), true, output, error, [], efforts: "30-90");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output.ToArray());
        var c = doc.RootElement.GetProperty("channels").EnumerateArray().Single();
        var e = c.GetProperty("effort_kinetics").EnumerateArray().Single();
        foreach (var key in new[] { "start_s", "end_s", "source", "baseline", "low", "depth", "desaturation_rate",
                     "reoxygenation_half_time_s", "mean_response_time_s" })
            Assert.True(e.TryGetProperty(key, out _), $"missing {key}");
        Assert.Equal((30.0, 90.0, "given"), (e.GetProperty("start_s").GetDouble(), e.GetProperty("end_s").GetDouble(), e.GetProperty("source").GetString()));
        Assert.Equal(JsonValueKind.Null, e.GetProperty("mean_power_w").ValueKind); // the file has no power
        Assert.Equal(1, c.GetProperty("efforts").GetInt32());
    }

    [Fact]
    public void Without_power_desaturation_events_are_the_efforts()
    {
        var (code, text, _) = Run(CorpusFile("runalyze/moxy-float.fit"), json: true);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(text);
        var e = doc.RootElement.GetProperty("channels")[0].GetProperty("effort_kinetics").EnumerateArray().Single();
        Assert.Equal("smo2", e.GetProperty("source").GetString());
        Assert.True(e.GetProperty("depth").GetDouble() >= 5); // MinDesaturation
        Assert.True(e.GetProperty("recovery_cut").GetBoolean()); // it runs to the end of the recording
        Assert.Equal(JsonValueKind.Null, e.GetProperty("reoxygenation_half_time_s").ValueKind);
    }

    [Theory]
    [InlineData("300-100", "entry 1 '300-100' ends before it starts")]
    [InlineData("100-300,200-400", "entry 2 '200-400' starts before entry 1 ends")]
    [InlineData("abc", "entry 1 'abc' is not START-END in seconds")]
    [InlineData("10-20,x-30", "entry 2 'x-30' is not START-END")]
    public void Bad_efforts_are_refused_naming_the_entry(string efforts, string message)
    {
        using var output = new MemoryStream();
        var error = new StringWriter();
        var code = InspectCommand.Run(new FileInfo(CorpusFile("runalyze/moxy-float.fit")), true, output, error, [], efforts: efforts);
        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Efforts_past_the_recording_are_refused_with_the_files_length()
    {
        using var output = new MemoryStream();
        var error = new StringWriter();
        var code = InspectCommand.Run(new FileInfo(CorpusFile("runalyze/moxy-float.fit")), false, output, error, [], efforts: "500-600");
        Assert.Equal(1, code);
        Assert.Contains("effort 1 (500-600 s) starts after the recording ends", error.ToString(), StringComparison.Ordinal);
    }
}
