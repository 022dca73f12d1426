using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>Converts decoded FIT files (message API or columnar reader) into <see cref="RideFrame"/>.</summary>
internal static class RideFrameAdapter
{
    private static readonly byte[] MuscleOxygenNativeFields = [54, 55, 56, 57, 58, 59];

    private static readonly ushort[] MetadataMessages = [FitProfile.Lap, FitProfile.DeviceInfo, FitProfile.Session];

    /// <summary>
    /// Takes the reader's arrays as they are (no second copy of a column). Native muscle-oxygen fields are
    /// always taken. Developer fields are taken only when they are a muscle-oxygen quantity (the analysis reads
    /// nothing else), densest first, while the columns taken times the rows stay within the file's size in
    /// bytes (the first is always taken): analysing a column costs about 20 bytes a row, so this keeps a
    /// file of a few records with hundreds of such fields between a million one-byte records from costing
    /// gigabytes, while a real ride (every record at least a byte per field it carries) is never cut.
    /// Only laps, device_info and session messages are built, one at a time.
    /// </summary>
    public static RideFrame FromFitRide(FitRide ride)
    {
        ArgumentNullException.ThrowIfNull(ride);
        var r = ride.Records;
        var n = r.Count;
        var columns = new List<RideColumn>();
        foreach (var c in r.Columns)
            if (c.Source == FitColumnSource.Native) columns.Add(RideColumn.Native(c.FieldNumber, c.Values));
        var budget = Math.Max(ride.InputLength, n);
        var developer = r.Columns
            .Where(c => c.Source == FitColumnSource.Developer && c.Description is { } d
                && (FieldClassifier.Classify(d) != Quantity.None || IsAssessmentField(d)))
            .OrderByDescending(c => c.ValueCount).ToList();
        var taken = new HashSet<FitColumn>();
        foreach (var c in developer)
        {
            if ((columns.Count + taken.Count + 1L) * n > budget && columns.Count + taken.Count > 0) continue;
            taken.Add(c);
        }
        // In the file's order, as before.
        foreach (var c in r.Columns)
            if (taken.Contains(c)) columns.Add(RideColumn.Developer(c.Description!, c.Values));
        var power = r.HasPower ? r.Power : null;
        var hr = r.HasHeartRate ? r.HeartRate : null;
        var meta = new MetadataBuilder();
        ride.ForEachMessage(MetadataMessages, meta.Add);
        var timestamps = r.Timestamp.Length == n ? r.Timestamp : r.Timestamp[..n];
        return new RideFrame(timestamps, power, columns, meta.Laps, meta.Devices, meta.Session, ride.DeveloperDataIds, hr, meta.LapValues);
    }

    public static RideFrame FromFitFile(FitFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var records = new List<FitMessage>();
        var others = new List<FitMessage>();
        foreach (var m in file.Messages)
        {
            if (m.GlobalNumber == FitProfile.Record) { if (m.Timestamp is not null) records.Add(m); }
            else others.Add(m);
        }
        var n = records.Count;
        var ts = new uint[n];
        var power = NaNs(n);
        var hr = NaNs(n);
        var native = new Dictionary<byte, float[]>();
        var developer = new Dictionary<(byte, byte), (FitFieldDescription D, float[] V)>();
        var order = new List<(byte, byte)>();
        for (var i = 0; i < n; i++)
        {
            var m = records[i];
            ts[i] = m.Timestamp!.Value;
            if (m.GetScaled(7) is { } p) power[i] = (float)p;
            if (m.GetScaled(3) is { } h) hr[i] = (float)h;
            foreach (var f in m.Fields)
            {
                if (Array.IndexOf(MuscleOxygenNativeFields, f.Number) < 0 || f.GetScaled() is not { } v) continue;
                if (!native.TryGetValue(f.Number, out var col)) native[f.Number] = col = NaNs(n);
                col[i] = (float)v;
            }
            foreach (var f in m.DeveloperFields)
            {
                if (f.Description is not { } d || d.BaseType is FitBaseType.String or FitBaseType.Byte) continue;
                if (f.Value.GetDoubleOrNull(0) is not { } raw) continue;
                var key = (f.DeveloperDataIndex, f.Number);
                if (!developer.TryGetValue(key, out var col))
                {
                    developer[key] = col = (d, NaNs(n));
                    order.Add(key);
                }
                col.V[i] = (float)raw;
            }
        }
        var columns = new List<RideColumn>();
        foreach (var k in native.Keys.Order()) columns.Add(RideColumn.Native(k, native[k]));
        foreach (var k in order) columns.Add(RideColumn.Developer(developer[k].D, developer[k].V));
        var meta = Metadata(others);
        return new RideFrame(ts, HasAny(power, n) ? power : null, columns, meta.Laps, meta.Devices, meta.Session,
            file.DeveloperDataIds, HasAny(hr, n) ? hr : null, meta.LapValues);
    }

    private static (List<RideLap> Laps, List<RideDevice> Devices, List<RideDeveloperValue> Session, List<RideDeveloperValue> LapValues)
        Metadata(IEnumerable<FitMessage> messages)
    {
        var meta = new MetadataBuilder();
        foreach (var m in messages) meta.Add(m);
        return (meta.Laps, meta.Devices, meta.Session, meta.LapValues);
    }

    /// <summary>
    /// Laps, devices and session developer values from messages seen one at a time. A device_info with none
    /// of the fields identity uses adds nothing; one equal to another is kept once, at its last place (files
    /// repeat them per lap; identity takes the last of each sensor).
    /// </summary>
    private sealed class MetadataBuilder
    {
        private readonly Dictionary<RideDevice, int> _lastSeen = [];
        private int _deviceMessages;
        public List<RideLap> Laps { get; } = [];
        public List<RideDevice> Devices => [.. _lastSeen.OrderBy(d => d.Value).Select(d => d.Key)];
        public List<RideDeveloperValue> Session { get; } = [];
        public List<RideDeveloperValue> LapValues { get; } = [];

        public void Add(FitMessage m)
        {
            switch (m.GlobalNumber)
            {
                case FitProfile.Lap:
                    if (m.GetRaw(2) is { } start && m.GetScaled(7) is { } elapsed)
                        Laps.Add(new RideLap((uint)start, (uint)(start + Math.Round(elapsed))));
                    else if (m.GetRaw(2) is { } s2 && m.Timestamp is { } end) Laps.Add(new RideLap((uint)s2, end));
                    DeveloperValues(m, LapValues);
                    break;
                case FitProfile.DeviceInfo:
                    var device = new RideDevice(Int(m.GetRaw(0)), Int(m.GetRaw(1)),
                        m.GetRaw(21) is { } dn ? (uint)dn : null, Int(m.GetRaw(18)), Int(m.GetRaw(2)), m.GetString(27));
                    if (device is { DeviceIndex: null, DeviceType: null, AntDeviceNumber: null, SensorPosition: null, Manufacturer: null, ProductName: null })
                        break;
                    _lastSeen[device] = _deviceMessages++;
                    break;
                case FitProfile.Session:
                    DeveloperValues(m, Session);
                    break;
            }
        }
    }

    /// <summary>The numeric developer fields of a lap or session message, raw, null where invalid.</summary>
    private static void DeveloperValues(FitMessage m, List<RideDeveloperValue> into)
    {
        foreach (var f in m.DeveloperFields)
        {
            if (f.Description is not { } d || d.BaseType == FitBaseType.String) continue;
            var count = Math.Max(1, f.Value.Count);
            var values = new double?[count];
            for (var i = 0; i < count; i++) values[i] = f.Value.GetDoubleOrNull(i);
            into.Add(new RideDeveloperValue(d, values));
        }
    }

    /// <summary>The data field's resting-assessment record fields (asmt_*, docs/fit-fields.md), which <see cref="RestingAssessment"/> reads.</summary>
    private static bool IsAssessmentField(FitFieldDescription d) =>
        d.FieldDefinitionNumber is >= DataFieldContract.AssessmentSiteField and <= DataFieldContract.AssessmentTHbField
        && d.Name is { } name && name.StartsWith("asmt_", StringComparison.Ordinal);

    private static int? Int(double? v) => v is { } x ? (int)x : null;

    private static float[] NaNs(int n)
    {
        var a = new float[n];
        a.AsSpan().Fill(float.NaN);
        return a;
    }

    private static bool HasAny(float[] values, int n)
    {
        for (var i = 0; i < n && i < values.Length; i++) if (!float.IsNaN(values[i])) return true;
        return false;
    }
}
