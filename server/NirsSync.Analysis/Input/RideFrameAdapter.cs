using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>Converts decoded FIT files (message API or columnar reader) into <see cref="RideFrame"/>.</summary>
internal static class RideFrameAdapter
{
    private static readonly byte[] MuscleOxygenNativeFields = [54, 55, 56, 57, 58, 59];

    public static RideFrame FromFitRide(FitRide ride)
    {
        ArgumentNullException.ThrowIfNull(ride);
        var r = ride.Records;
        var n = r.Count;
        var columns = new List<RideColumn>();
        foreach (var c in r.Columns)
        {
            var values = c.Values.Length == n ? c.Values : c.Values[..n];
            if (c.Source == FitColumnSource.Native) columns.Add(RideColumn.Native(c.FieldNumber, values));
            else if (c.Description is { } d) columns.Add(RideColumn.Developer(d, values));
        }
        var power = HasAny(r.Power, n) ? r.Power[..n] : null;
        var hr = HasAny(r.HeartRate, n) ? r.HeartRate[..n] : null;
        var meta = Metadata(ride.Messages);
        return new RideFrame(r.Timestamp[..n], power, columns, meta.Laps, meta.Devices, meta.Session,
            ride.DeveloperDataIds, hr, meta.LapValues);
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
        var laps = new List<RideLap>();
        var devices = new List<RideDevice>();
        var session = new List<RideDeveloperValue>();
        var lapValues = new List<RideDeveloperValue>();
        foreach (var m in messages)
        {
            switch (m.GlobalNumber)
            {
                case FitProfile.Lap:
                    if (m.GetRaw(2) is { } start && m.GetScaled(7) is { } elapsed)
                        laps.Add(new RideLap((uint)start, (uint)(start + Math.Round(elapsed))));
                    else if (m.GetRaw(2) is { } s2 && m.Timestamp is { } end) laps.Add(new RideLap((uint)s2, end));
                    DeveloperValues(m, lapValues);
                    break;
                case FitProfile.DeviceInfo:
                    devices.Add(new RideDevice(Int(m.GetRaw(0)), Int(m.GetRaw(1)),
                        m.GetRaw(21) is { } dn ? (uint)dn : null, Int(m.GetRaw(18)), Int(m.GetRaw(2)), m.GetString(27)));
                    break;
                case FitProfile.Session:
                    DeveloperValues(m, session);
                    break;
            }
        }
        return (laps, devices, session, lapValues);
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
