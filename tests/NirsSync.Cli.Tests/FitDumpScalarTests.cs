using System.Text;
using System.Text.Json.Nodes;
using NirsSync.Fit;
using NirsSync.Fit.Tests;

namespace NirsSync.Cli.Tests;

/// <summary>Issue 12, item 7: <c>nirssync fit dump</c> prints a scalar record field stored with twice its size as one value, like Garmin's SDK.</summary>
public class FitDumpScalarTests
{
    [Fact]
    public void DumpPrintsOneValueForAScalarFieldStoredWithTwiceItsSizeAsGarminsSdkDoes()
    {
        var writer = new FitWriter();
        writer.Write(FitProfile.FileId, FitWriteField.Integer(0, FitBaseType.Enum, 4));
        writer.Write(FitProfile.Record,
            FitWriteField.Unsigned(253, FitBaseType.UInt32, 1_000_000_000),
            FitWriteField.Integers(3, FitBaseType.UInt8, [150, 151]),
            FitWriteField.Integers(13, FitBaseType.SInt8, [21, 22]),
            FitWriteField.Integers(17, FitBaseType.UInt8, [1, 2, 3]));
        var path = Path.Combine(Path.GetTempPath(), $"dump-scalar-{Environment.ProcessId}.fit");
        File.WriteAllBytes(path, writer.ToArray());
        try
        {
            using var output = new MemoryStream();
            Assert.Equal(0, FitDump.Run(new FileInfo(path), lenient: false, output, new StringWriter()));
            var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var record = JsonNode.Parse(lines[1])!["fields"]!.AsObject();
            Assert.Equal("150", record["3"]!.ToJsonString());
            Assert.Equal("21", record["13"]!.ToJsonString());
            Assert.Equal("[1,2,3]", record["17"]!.ToJsonString()); // speed_1s is an array in the profile
            var sdk = GarminOracle.Decode(path).Messages[1]["fields"]!.AsObject();
            foreach (var key in new[] { "3", "13", "17", "253" }) Assert.Equal(sdk[key]!.ToJsonString(), record[key]!.ToJsonString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
