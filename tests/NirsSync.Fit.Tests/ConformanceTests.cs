using System.Text.Json.Nodes;

namespace NirsSync.Fit.Tests;

/// <summary>
/// Our message-level output equals Garmin's JavaScript SDK's, message by message and field by field,
/// for every corpus file that the SDK decodes without errors.
/// </summary>
public class ConformanceTests
{
    public static TheoryData<string> Files() => Repo.CorpusTheory();

    [Theory]
    [MemberData(nameof(Files))]
    public void MessagesEqualGarminSdkWhereItDecodesTheFile(string file)
    {
        var path = Repo.CorpusFile(file);
        var oracle = GarminOracle.Decode(path);
        if (oracle.Errors.Count > 0)
        {
            // The SDK could not read this file; DamagedAndSpecialFileTests cover it with hand-worked values.
            Assert.Contains(file, KnownOracleFailures);
            return;
        }
        var ours = FitDecoder.Decode(File.ReadAllBytes(path));
        Assert.Null(ours.Damage);
        Assert.Equal(oracle.Messages.Count, ours.Messages.Count);
        for (var i = 0; i < ours.Messages.Count; i++)
        {
            var mine = JsonNode.Parse(FitMessageJson.ToJson(ours.Messages[i]))!.AsObject();
            var theirs = oracle.Messages[i];
            var where = $"{file} message {i} (mesg {theirs["mesg"]}, byte {ours.Messages[i].Offset})";
            Assert.True(mine["mesg"]!.GetValue<int>() == theirs["mesg"]!.GetValue<int>(), $"{where}: global number differs");
            CompareFields(where, mine["fields"]!.AsObject(), theirs["fields"]!.AsObject());
            CompareFields(where + " dev", mine["dev"]!.AsObject(), theirs["dev"]!.AsObject());
        }
    }

    /// <summary>Files Garmin's SDK reports errors on: compressed timestamps (unsupported) and damage.</summary>
    internal static readonly string[] KnownOracleFailures =
    [
        "python-fitparse/antfs-dump.63.fit", "python-fitparse/compressed-speed-distance.fit",
        "python-fitparse/activity-activity-filecrc.fit", "python-fitparse/activity-settings-corruptheader.fit",
        "python-fitparse/strava-android-app-201.10-b1218918.fit", "python-fitparse/activity-filecrc.fit",
        "python-fitparse/activity-unexpected-eof.fit", "python-fitparse/activity-settings-nodata.fit",
        "runalyze/FR70-intervals.fit", "python-fitparse/nick.fit",
    ];

    private static void CompareFields(string where, JsonObject mine, JsonObject theirs)
    {
        foreach (var (key, value) in theirs)
        {
            if (IsOracleInvalid(value))
            {
                Assert.False(mine.ContainsKey(key) && !IsOracleInvalid(mine[key]), $"{where} field {key}: we kept an invalid value");
                continue;
            }
            Assert.True(mine.ContainsKey(key), $"{where}: field {key} = {value?.ToJsonString()} missing from ours");
            Assert.True(SameValue(mine[key], value), $"{where} field {key}: ours {mine[key]?.ToJsonString()}, Garmin {value?.ToJsonString()}");
        }
        foreach (var (key, value) in mine)
            Assert.True(theirs.ContainsKey(key), $"{where}: field {key} = {value?.ToJsonString()} is ours only");
    }

    // The SDK does not recognise float NaN or 64-bit invalid values (it compares with ===), and marks
    // them "NaN" or as the raw invalid number; we leave them out, as the FIT rules say.
    private static bool IsOracleInvalid(JsonNode? v) => v switch
    {
        null => true,
        JsonValue s when s.TryGetValue<string>(out var str) => str is "NaN" or "9223372036854775807" or "18446744073709551615",
        _ => false,
    };

    private static bool SameValue(JsonNode? a, JsonNode? b)
    {
        if (a is JsonArray aa && b is JsonArray ba)
            return aa.Count == ba.Count && aa.Zip(ba).All(p => SameValue(p.First, p.Second) || (p.First is null && IsOracleInvalid(p.Second)));
        if (b is JsonArray single && single.Count == 1) return SameValue(a, single[0]);
        if (a is JsonArray mineSingle && mineSingle.Count == 1) return SameValue(mineSingle[0], b);
        if (a is null || b is null) return a is null && b is null;
        if (a.GetValueKind() == System.Text.Json.JsonValueKind.String || b.GetValueKind() == System.Text.Json.JsonValueKind.String)
            return a.ToString() == b.ToString();
        var x = a.GetValue<double>();
        var y = b.GetValue<double>();
        return x == y || (float)x == (float)y;
    }
}
