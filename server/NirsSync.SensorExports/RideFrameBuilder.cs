using NirsSync.Analysis;
using NirsSync.Fit;

namespace NirsSync.SensorExports;

/// <summary>Builds the 1-second analysis input of an export (see <see cref="SensorExport.ToRideFrame"/>).</summary>
internal static class RideFrameBuilder
{
    /// <summary>Field numbers of a sensor's developer fields; each sensor has its own developer data index.</summary>
    public const byte SmO2Field = 0, THbField = 1, O2HbField = 2, HHbField = 3, DeviceInfoField = 20;

    private const int MuscleOxygenDeviceType = 31;

    public static RideFrame Build(SensorExport export, DateTimeOffset start)
    {
        var n = export.Count;
        var t = export.TimeS;
        var origin = start.ToUnixTimeMilliseconds() / 1000.0 - FitProfile.FitEpochUnixSeconds;
        if (origin < 0 || origin + export.DurationS > uint.MaxValue)
            throw new InvalidOperationException($"start {start:O} is outside the FIT time range");
        // Rows: each second that has samples; the value of a row is the mean of the valid samples in it.
        var rowOf = new int[n];
        var seconds = new List<uint>(n / 2 + 1);
        for (var i = 0; i < n; i++)
        {
            var s = (uint)Math.Floor(origin + t[i]);
            if (seconds.Count == 0 || seconds[^1] != s) seconds.Add(s);
            rowOf[i] = seconds.Count - 1;
        }
        var rows = seconds.Count;
        float[] Mean(float[] values)
        {
            var sum = new double[rows];
            var count = new int[rows];
            for (var i = 0; i < n; i++)
                if (!float.IsNaN(values[i])) { sum[rowOf[i]] += values[i]; count[rowOf[i]]++; }
            var mean = new float[rows];
            for (var r = 0; r < rows; r++) mean[r] = count[r] == 0 ? float.NaN : (float)(sum[r] / count[r]);
            return mean;
        }

        var columns = new List<RideColumn>();
        var session = new List<RideDeveloperValue>();
        for (var k = 0; k < export.Channels.Count; k++)
        {
            var c = export.Channels[k];
            var index = (byte)k;
            FitFieldDescription Field(byte number, string name, string units) =>
                new(index, number, FitBaseType.Float32, name, units, null, null, FitProfile.Record, null, null);
            if (c.SmO2 is { } smo2) columns.Add(RideColumn.Developer(Field(SmO2Field, $"SmO2 {c.Name}", "%"), Mean(smo2)));
            if (c.THb is { } thb) columns.Add(RideColumn.Developer(Field(THbField, $"THb {c.Name}", "g/dL"), Mean(thb)));
            if (c.O2Hb is { } o2hb) columns.Add(RideColumn.Developer(Field(O2HbField, $"O2Hb {c.Name}", "a.u."), Mean(o2hb)));
            if (c.HHb is { } hhb) columns.Add(RideColumn.Developer(Field(HHbField, $"HHb {c.Name}", "a.u."), Mean(hhb)));
            // CIQ_device_info = [31 muscle oxygen, body location, device number (4 bytes, little-endian), manufacturer]:
            // the sensor number and position travel the way a Connect IQ app writes them, so identity is resolved as for FIT.
            if (c.Sensor is not null || c.BodyLocation is not null)
            {
                var number = c.Sensor ?? 0;
                var raw = new double?[]
                {
                    MuscleOxygenDeviceType, c.BodyLocation, number & 0xFF, (number >> 8) & 0xFF, (number >> 16) & 0xFF, number >> 24, null,
                };
                session.Add(new RideDeveloperValue(
                    new FitFieldDescription(index, DeviceInfoField, FitBaseType.UInt8, "CIQ_device_info", null, null, null,
                        FitProfile.Session, null, (byte)raw.Length), raw));
            }
        }
        var laps = export.Laps.Select(l => new RideLap((uint)Math.Floor(origin + l.StartS), (uint)Math.Floor(origin + l.EndS))).ToList();
        return new RideFrame(seconds.ToArray(), export.Power is { } p ? Mean(p) : null, columns, laps, null, session, null,
            export.HeartRate is { } h ? Mean(h) : null);
    }
}
