using System.Text;
using System.Text.Json;
using NirsSync.Fit;
using NirsSync.Fit.Tests;

namespace NirsSync.Cli.Tests;

public class FitCommandTests
{
    public static TheoryData<string> Files() => Repo.CorpusTheory();

    private static bool IsSound(byte[] bytes)
    {
        try
        {
            return FitDecoder.Decode(bytes).Damage is null;
        }
        catch (FitFormatException)
        {
            return false;
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void DumpWritesOneJsonObjectPerDataMessageInFileOrder(string file)
    {
        var path = Repo.CorpusFile(file);
        var bytes = File.ReadAllBytes(path);
        var sound = IsSound(bytes);
        using var output = new MemoryStream();
        var error = new StringWriter();
        var code = FitDump.Run(new FileInfo(path), lenient: !sound, output, error);
        var expected = FitDecoder.Decode(bytes, FitDecodeOptions.Lenient).Messages;
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(sound ? 0 : 1, code);
        Assert.Equal(expected.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.Equal(expected[i].GlobalNumber, root.GetProperty("mesg").GetInt32());
            Assert.Equal(JsonValueKind.Object, root.GetProperty("fields").ValueKind);
            Assert.Equal(JsonValueKind.Object, root.GetProperty("dev").ValueKind);
            if (expected[i].IsCompressedTimestamp)
                Assert.Equal(expected[i].Timestamp, root.GetProperty("fields").GetProperty("253").GetUInt32());
        }
        if (!sound) Assert.Contains("byte", error.ToString());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CheckExitsZeroForSoundFilesAndOneWithTheReasonForDamagedOnes(string file)
    {
        var path = Repo.CorpusFile(file);
        var sound = IsSound(File.ReadAllBytes(path));
        var output = new StringWriter();
        var error = new StringWriter();
        var code = FitCheck.Run(new FileInfo(path), json: false, output, error);
        Assert.Equal(sound ? 0 : 1, code);
        Assert.Contains(sound ? "sound" : "DAMAGED", output.ToString());
        Assert.Contains("messages:", output.ToString());
        if (!sound) Assert.Contains("damaged: FIT", error.ToString());
    }

    [Fact]
    public void DumpOfStrictlyUnreadableFileFailsWithTheOffset()
    {
        using var output = new MemoryStream();
        var error = new StringWriter();
        var code = FitDump.Run(new FileInfo(Repo.CorpusFile("python-fitparse/activity-filecrc.fit")), lenient: false, output, error);
        Assert.Equal(1, code);
        Assert.Equal(0, output.Length);
        Assert.Contains("file CRC mismatch at byte 769", error.ToString());
    }

    [Fact]
    public void CheckJsonReportsDeveloperFieldsWithNamesUnitsAndNativeMapping()
    {
        var output = new StringWriter();
        var code = FitCheck.Run(new FileInfo(Repo.CorpusFile("runalyze/moxy-float.fit")), json: true, output, new StringWriter());
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output.ToString());
        var smo2 = json.RootElement.GetProperty("developer_fields")[0];
        Assert.Equal("1st SmO2 Sensor 665 on L. Quad", smo2.GetProperty("name").GetString());
        Assert.Equal("%", smo2.GetProperty("units").GetString());
        Assert.Equal(57, smo2.GetProperty("native_field").GetInt32());
        Assert.Equal("saturated_hemoglobin_percent", smo2.GetProperty("native_name").GetString());
        Assert.Equal(178, smo2.GetProperty("valid_values").GetInt32());
        var part = json.RootElement.GetProperty("parts")[0];
        Assert.True(part.GetProperty("crc_ok").GetBoolean());
        Assert.Equal("0x70B1", part.GetProperty("stored_crc").GetString());
    }

    [Fact]
    public void MissingFileExitsTwo()
    {
        var error = new StringWriter();
        Assert.Equal(2, FitCheck.Run(new FileInfo("/nonexistent/ride.fit"), false, new StringWriter(), error));
        Assert.Contains("no such file", error.ToString());
    }
}
