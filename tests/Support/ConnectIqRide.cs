using System.Diagnostics;
using System.Text.Json;
using NirsSync.Fit;

namespace NirsSync.Tests.Support;

/// <summary>
/// Turns what the Connect IQ harness recorded (tests/connectiq/harness/README.md, "The ride JSON")
/// into the activity FIT file a Garmin unit would save: file_id, device_info, the data field's
/// developer_data_id and field_descriptions, timer events, one record per second carrying the
/// unit's native fields (generated power, heart rate, cadence, speed, distance) and the field's
/// developer fields, lap and session messages with the field's lap and session fields, activity.
/// </summary>
public static class ConnectIqRide
{
    public sealed record Recording(JsonElement Root)
    {
        public string ApplicationId => Root.GetProperty("developer").GetProperty("applicationId").GetString()!;
        public IEnumerable<JsonElement> Fields => Root.GetProperty("developer").GetProperty("fields").EnumerateArray();
        public IEnumerable<JsonElement> Records => Root.GetProperty("records").EnumerateArray();
        public IEnumerable<JsonElement> Laps => Root.GetProperty("laps").EnumerateArray();
        public JsonElement SessionValues => Root.GetProperty("session").GetProperty("values");

        /// <summary>The recorded value of field <paramref name="id"/> per record (NaN for invalid or absent).</summary>
        public float[] RecordValues(int id) => Records.Select(r =>
            r.GetProperty("values").TryGetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture), out var v)
            && v.ValueKind == JsonValueKind.Number ? (float)v.GetDouble() : float.NaN).ToArray();
    }

    /// <summary>Runs the harness's reference one-hour ride through the data field's real Monkey C.</summary>
    public static Recording RecordReferenceRide(string repoRoot) => RecordScenario(repoRoot, "one-hour");

    /// <summary>
    /// Runs one of the harness's scenario rides (record-ride.mjs --scenario: one-hour, balance,
    /// assessment) through the data field's real Monkey C.
    /// </summary>
    public static Recording RecordScenario(string repoRoot, string scenario)
    {
        var dir = Path.Combine(repoRoot, "tests", "connectiq");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "@markw65")))
            throw new InvalidOperationException("The Monkey C parser is not installed: run `npm ci` in tests/connectiq (scripts/test.sh does)");
        var output = Path.Combine(Path.GetTempPath(), $"nirssync-ciq-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo("node", [Path.Combine(dir, "harness", "record-ride.mjs"), "--out", output, "--scenario", scenario])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repoRoot,
        };
        using (var process = Process.Start(start)!)
        {
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"record-ride.mjs failed: {error.Result}");
        }
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(output));
            return new Recording(json.RootElement.Clone());
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static FitBaseType TypeOf(string name) => name switch
    {
        "float32" => FitBaseType.Float32,
        "float64" => FitBaseType.Float64,
        "uint8" => FitBaseType.UInt8,
        "sint8" => FitBaseType.SInt8,
        "uint16" => FitBaseType.UInt16,
        "sint16" => FitBaseType.SInt16,
        "uint32" => FitBaseType.UInt32,
        "sint32" => FitBaseType.SInt32,
        "string" => FitBaseType.String,
        _ => throw new ArgumentException($"unknown field type {name}"),
    };

    private static FitWriteField Value(byte id, FitBaseType type, JsonElement values)
    {
        if (!values.TryGetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture), out var v) || v.ValueKind == JsonValueKind.Null)
            return FitWriteField.Invalid(id, type);
        // A NaN the field made some other way than from four 0xFF bytes (README "The ride JSON":
        // "nan:<hex>") is not the FIT invalid value: a reader would take it for a measurement.
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { } text && text.StartsWith("nan:", StringComparison.Ordinal))
            throw new InvalidOperationException($"field {id} ({type}) was set to a NaN with bits 0x{text[4..]}; the FIT invalid float32 is 0xFFFFFFFF");
        return type switch
        {
            FitBaseType.Float32 => FitWriteField.Float32(id, (float)v.GetDouble()),
            FitBaseType.Float64 => FitWriteField.Float64(id, v.GetDouble()),
            FitBaseType.String => FitWriteField.String(id, v.GetString() ?? ""),
            _ => FitWriteField.Integer(id, type, v.GetInt64()),
        };
    }

    /// <summary>Encodes <paramref name="recording"/> as a Garmin Edge would save the activity.</summary>
    public static byte[] ToFit(Recording recording)
    {
        var fields = recording.Fields.Select(f => (
            Id: (byte)f.GetProperty("id").GetInt32(),
            Name: f.GetProperty("name").GetString()!,
            Type: TypeOf(f.GetProperty("type").GetString()!),
            Units: f.GetProperty("units").ValueKind == JsonValueKind.String ? f.GetProperty("units").GetString() : null,
            Native: f.GetProperty("nativeNum").ValueKind == JsonValueKind.Number ? (byte?)f.GetProperty("nativeNum").GetInt32() : null,
            Mesg: (ushort)f.GetProperty("mesgType").GetInt32())).ToList();
        var records = recording.Records.ToList();
        uint Fit(long unix) => (uint)(unix - FitProfile.FitEpochUnixSeconds);
        var first = Fit(records[0].GetProperty("t").GetInt64());
        var last = Fit(records[^1].GetProperty("t").GetInt64());

        var w = new FitWriter();
        w.Write(FitProfile.FileId, FitWriteField.Integer(0, FitBaseType.Enum, 4), FitWriteField.Integer(1, FitBaseType.UInt16, 1),
            FitWriteField.Integer(2, FitBaseType.UInt16, 3843), FitWriteField.Integer(3, FitBaseType.UInt32z, 3_456_789_012),
            FitWriteField.Integer(4, FitBaseType.UInt32, first));
        w.Write(FitProfile.DeviceInfo, FitWriteField.Integer(253, FitBaseType.UInt32, first), FitWriteField.Integer(0, FitBaseType.UInt8, 0),
            FitWriteField.Integer(2, FitBaseType.UInt16, 1), FitWriteField.Integer(4, FitBaseType.UInt16, 3843));
        // The manifest id written as text; its 16 bytes in written order are the FIT application_id.
        w.WriteDeveloperDataId(0, Convert.FromHexString(recording.ApplicationId.Replace("-", "", StringComparison.Ordinal)), 100);
        foreach (var f in fields)
            w.WriteFieldDescription(0, f.Id, f.Type, f.Name, f.Units, f.Native is null ? null : f.Mesg, f.Native);
        w.Write(FitProfile.Event, FitWriteField.Integer(253, FitBaseType.UInt32, first), FitWriteField.Integer(0, FitBaseType.Enum, 0),
            FitWriteField.Integer(1, FitBaseType.Enum, 0));

        var recordFields = fields.Where(f => f.Mesg == FitProfile.Record).ToList();
        var distance = 0.0;
        foreach (var r in records)
        {
            var t = Fit(r.GetProperty("t").GetInt64());
            var second = (int)(t - first);
            var power = second % 420 < 240 ? 285 + second % 7 : 130 + second % 5; // 4 min on, 3 min off
            var speed = 2.2 * Math.Cbrt(power);
            distance += speed;
            var values = r.GetProperty("values");
            w.Write(FitProfile.Record,
                [
                    FitWriteField.Integer(253, FitBaseType.UInt32, t), FitWriteField.Integer(7, FitBaseType.UInt16, power),
                    FitWriteField.Integer(3, FitBaseType.UInt8, 120 + power / 10), FitWriteField.Integer(4, FitBaseType.UInt8, 90),
                    FitWriteField.Integer(6, FitBaseType.UInt16, (long)(speed * 1000)), FitWriteField.Integer(5, FitBaseType.UInt32, (long)(distance * 100)),
                ],
                recordFields.Select(f => new FitWriteDeveloperField(0, Value(f.Id, f.Type, values))).ToList());
        }
        var lapFields = fields.Where(f => f.Mesg == FitProfile.Lap).ToList();
        var lapStart = first;
        var index = 0;
        foreach (var lap in recording.Laps)
        {
            var t = Math.Min(Fit(lap.GetProperty("t").GetInt64()), last);
            var values = lap.GetProperty("values");
            w.Write(FitProfile.Lap,
                [
                    FitWriteField.Integer(253, FitBaseType.UInt32, t), FitWriteField.Integer(254, FitBaseType.UInt16, index++),
                    FitWriteField.Integer(2, FitBaseType.UInt32, lapStart), FitWriteField.Integer(7, FitBaseType.UInt32, (t - lapStart) * 1000L),
                ],
                lapFields.Select(f => new FitWriteDeveloperField(0, Value(f.Id, f.Type, values))).ToList());
            lapStart = t;
        }
        w.Write(FitProfile.Event, FitWriteField.Integer(253, FitBaseType.UInt32, last), FitWriteField.Integer(0, FitBaseType.Enum, 0),
            FitWriteField.Integer(1, FitBaseType.Enum, 4));
        var sessionFields = fields.Where(f => f.Mesg == FitProfile.Session).ToList();
        w.Write(FitProfile.Session,
            [
                FitWriteField.Integer(253, FitBaseType.UInt32, last), FitWriteField.Integer(2, FitBaseType.UInt32, first),
                FitWriteField.Integer(5, FitBaseType.Enum, 2), FitWriteField.Integer(7, FitBaseType.UInt32, (last - first + 1) * 1000L),
                FitWriteField.Integer(26, FitBaseType.UInt16, index),
            ],
            sessionFields.Select(f => new FitWriteDeveloperField(0, Value(f.Id, f.Type, recording.SessionValues))).ToList());
        w.Write(FitProfile.Activity, FitWriteField.Integer(253, FitBaseType.UInt32, last), FitWriteField.Integer(1, FitBaseType.UInt16, 1));
        return w.ToArray();
    }
}
