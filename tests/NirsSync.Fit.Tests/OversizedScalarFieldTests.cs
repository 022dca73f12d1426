using System.Text.Json.Nodes;

namespace NirsSync.Fit.Tests;

/// <summary>
/// Issue 12, item 7: a field the profile defines as one value but stored with extra bytes (twice its size) is
/// dumped as one value, exactly as Garmin's JavaScript SDK reads it; array fields and fields unknown to the
/// profile stay arrays.
/// </summary>
public class OversizedScalarFieldTests
{
    /// <summary>A record with heart_rate (3) and power (7) stored twice their size, heart_rate again with an
    /// invalid first element in a second record, an array field (69) and an unknown field (200).</summary>
    internal static byte[] File()
    {
        var writer = new FitWriter();
        writer.Write(FitProfile.FileId, FitWriteField.Integer(0, FitBaseType.Enum, 4));
        writer.Write(FitProfile.Record,
            FitWriteField.Unsigned(253, FitBaseType.UInt32, 1_000_000_000),
            FitWriteField.Integers(3, FitBaseType.UInt8, [150, 151]),
            FitWriteField.Integers(7, FitBaseType.UInt16, [250, 260]),
            FitWriteField.Integers(69, FitBaseType.UInt8, [10, 20]),
            FitWriteField.Integers(200, FitBaseType.UInt16, [1, 2]));
        writer.Write(FitProfile.Record,
            FitWriteField.Unsigned(253, FitBaseType.UInt32, 1_000_000_001),
            FitWriteField.Integers(3, FitBaseType.UInt8, [0xFF, 152]),
            FitWriteField.Integers(7, FitBaseType.UInt16, [251, 0xFFFF]),
            FitWriteField.Integers(69, FitBaseType.UInt8, [11, 21]),
            FitWriteField.Integers(200, FitBaseType.UInt16, [3, 4]));
        return writer.ToArray();
    }

    [Fact]
    public void ScalarFieldWithExtraBytesIsDumpedAsOneValueLikeGarminsSdk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"oversized-scalar-{Environment.ProcessId}.fit");
        System.IO.File.WriteAllBytes(path, File());
        try
        {
            var oracle = GarminOracle.Decode(path);
            Assert.Empty(oracle.Errors);
            var ours = FitDecoder.Decode(System.IO.File.ReadAllBytes(path));
            var records = ours.Messages.Where(m => m.GlobalNumber == FitProfile.Record).ToList();
            var theirs = oracle.Messages.Where(m => m["mesg"]!.GetValue<int>() == FitProfile.Record).ToList();
            Assert.Equal(2, records.Count);
            Assert.Equal(2, theirs.Count);
            for (var i = 0; i < 2; i++)
            {
                var mine = JsonNode.Parse(FitMessageJson.ToJson(records[i]))!["fields"]!.AsObject();
                var sdk = theirs[i]["fields"]!.AsObject();
                // The SDK writes null for a scalar whose first element is invalid; the dump leaves invalid values out.
                foreach (var key in sdk.Select(p => p.Key).Where(k => sdk[k] is null).ToList()) sdk.Remove(key);
                Assert.Equal(sdk.Select(p => p.Key).Order(), mine.Select(p => p.Key).Order());
                foreach (var (key, value) in sdk) Assert.Equal(value!.ToJsonString(), mine[key]!.ToJsonString());
            }
            // The values themselves, so that the test does not rest on the oracle alone.
            var first = JsonNode.Parse(FitMessageJson.ToJson(records[0]))!["fields"]!.AsObject();
            Assert.Equal(150, first["3"]!.GetValue<int>());
            Assert.Equal(250, first["7"]!.GetValue<int>());
            Assert.Equal("[10,20]", first["69"]!.ToJsonString());
            Assert.Equal("[1,2]", first["200"]!.ToJsonString());
            var second = JsonNode.Parse(FitMessageJson.ToJson(records[1]))!["fields"]!.AsObject();
            Assert.False(second.ContainsKey("3"));
            Assert.Equal(251, second["7"]!.GetValue<int>());
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
