using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>
/// Finds every muscle-oxygen channel of a ride, one per physical sensor, whatever wrote it: native
/// record fields 54/57, our data field's fields, and other apps' developer fields (facts file section 3).
/// </summary>
public static class ChannelDiscovery
{
    /// <summary>Application id of the NirsSync Connect IQ data field (docs/fit-fields.md).</summary>
    public const string DataFieldApplicationId = DataFieldContract.ApplicationId;

    /// <summary>Two SmO2 fields whose values differ by at most this mean (%) are one sensor.</summary>
    internal const double SameSensorSmO2 = 0.6;

    /// <summary>Two tHb fields whose values differ by at most this mean (g/dL) are one sensor.</summary>
    internal const double SameSensorTHb = 0.06;

    /// <summary>A field's values in real units; shares the input array until a duplicate must be merged in.</summary>
    private sealed class Candidate(string key, Quantity quantity, float[] values, RideColumn column, bool owned)
    {
        public string Key { get; } = key;
        public Quantity Quantity { get; } = quantity;
        public float[] Values { get; private set; } = values;
        public RideColumn Column { get; } = column;

        public float[] Writable(int n)
        {
            if (!owned) { Values = Values[..n]; owned = true; }
            return Values;
        }
    }

    private sealed class Sensor
    {
        public required string Label;
        public required byte? DeveloperIndex;
        public int? OurSlot;
        public int Precedence;
        public Candidate? SmO2;
        public Candidate? THb;
        public readonly List<string> Duplicates = [];
        public string? Name;
    }

    /// <summary>Finds the channels of <paramref name="ride"/> and identifies their sensors and muscles.</summary>
    public static IReadOnlyList<MuscleChannel> Discover(RideFrame ride, SensorMap? athleteMap = null)
    {
        ArgumentNullException.ThrowIfNull(ride);
        var n = ride.Count;
        var apps = ride.DeveloperDataIds.ToDictionary(a => a.DeveloperDataIndex, a => a.ApplicationUuid);
        var sensors = new List<Sensor>();

        // Native fields: one sensor.
        var native = new Sensor { Label = "native", DeveloperIndex = null, Precedence = 1 };
        foreach (var c in ride.Columns)
        {
            if (!c.IsNative) continue;
            if (c.FieldNumber == 57) Attach(native, new Candidate(c.Key, Quantity.SmO2, c.Values, c, false), n, sensors);
            else if (c.FieldNumber == 54) Attach(native, new Candidate(c.Key, Quantity.THb, c.Values, c, false), n, sensors);
        }
        if (native.SmO2 is not null || native.THb is not null) sensors.Insert(0, native);

        // Developer fields, grouped per app by sensor label.
        var groups = new Dictionary<(byte, string), Sensor>();
        foreach (var c in ride.Columns)
        {
            if (c.IsNative || c.Description is not { } d) continue;
            var q = FieldClassifier.Classify(d);
            if (q == Quantity.None) continue;
            var ours = IsOurs(d, apps);
            int? slot = ours ? OurSlot(d) : null;
            var (scale, offset) = slot is { } ourSlot ? OurScaling(d, q, ourSlot, c.Values.AsSpan(0, n)) : FieldClassifier.Scaling(d, q, c.Values.AsSpan(0, n));
            var owned = !(scale == 1 && offset == 0);
            var values = owned ? Scale(c.Values, n, scale, offset) : c.Values;
            var label = slot is { } s ? $"ours {s}" : FieldClassifier.SensorLabel(d.Name);
            var key = (d.DeveloperDataIndex, label);
            if (!groups.TryGetValue(key, out var sensor))
            {
                groups[key] = sensor = new Sensor
                {
                    Label = slot is null ? label : $"data field {d.DeveloperDataIndex} sensor {slot}", DeveloperIndex = d.DeveloperDataIndex,
                    OurSlot = slot, Precedence = slot is null ? 2 : 0, Name = d.Name,
                };
                sensors.Add(sensor);
            }
            Attach(sensor, new Candidate(c.Key, q, values, c, owned), n, sensors);
        }

        // Numbering of our sensors, fixed before empty sensors are dropped so that ids do not depend on values:
        // several instances of our data field number their sensors on, each after the previous one's highest slot.
        var ourOffsets = OurOffsets(sensors);

        // A sensor of our data field without a single valid value is switched off (or never paired): the field still
        // writes the columns of sensors 1-2 then, every value invalid, and that is no channel. Other writers' empty
        // fields stay channels with empty statistics: a sensor that recorded nothing is worth showing there.
        sensors.RemoveAll(s => (s.SmO2 is null && s.THb is null) || (s.OurSlot is not null && !HasValue(s.SmO2, n) && !HasValue(s.THb, n)));

        // Across groups: the same physical sensor recorded twice (a native field beside an app's field,
        // or two apps reading one Moxy) is kept once, from the most trusted writer.
        sensors.Sort((a, b) => a.Precedence.CompareTo(b.Precedence));
        for (var i = 0; i < sensors.Count; i++)
            for (var j = sensors.Count - 1; j > i; j--)
                if (Identical(sensors[i], sensors[j], n))
                {
                    MergeInto(sensors[i], sensors[j], n);
                    sensors.RemoveAt(j);
                }

        var start = ride.Start;
        var result = new List<MuscleChannel>(sensors.Count);
        var usedIds = new HashSet<string>();
        foreach (var s in sensors)
        {
            var number = s.OurSlot is { } os ? os + ourOffsets[s.DeveloperIndex!.Value] : (int?)null;
            var info = Identify(s, number, ride, apps, athleteMap, start, usedIds);
            result.Add(new MuscleChannel(info, s.SmO2?.Values, s.THb?.Values));
        }
        return result;
    }

    private static bool IsOurs(FitFieldDescription d, Dictionary<byte, string?> apps)
    {
        var app = d.Application?.ApplicationUuid ?? apps.GetValueOrDefault(d.DeveloperDataIndex);
        if (string.Equals(app, DataFieldApplicationId, StringComparison.OrdinalIgnoreCase)) return OurSlot(d) is not null;
        // Units that write no developer_data_id: recognise the contract's names.
        return app is null && OurSlot(d) is not null;
    }

    private static int? OurSlot(FitFieldDescription d) => DataFieldContract.SlotOfRecordField(d.Name, d.FieldDefinitionNumber);

    /// <summary>
    /// Our fields are scaled by the contract: float32 values are real units, integer values
    /// of sensors 3-4 (uint16) are SmO2 x10 and tHb x100 whatever their values; a scale in the description still wins.
    /// </summary>
    private static (double Scale, double Offset) OurScaling(FitFieldDescription d, Quantity q, int slot, ReadOnlySpan<float> raw)
    {
        if (d.Scale is { } s && s > 1) return (s, d.Offset ?? 0);
        // A float field, or an integer field where the contract has a float32 one: judged like any other app's field.
        if (d.BaseType is FitBaseType.Float32 or FitBaseType.Float64 || DataFieldContract.IsFullSlot(slot))
            return FieldClassifier.Scaling(d, q, raw);
        return (q == Quantity.SmO2 ? DataFieldContract.SmO2Scale(slot) : DataFieldContract.THbScale(slot), 0);
    }

    /// <summary>
    /// Number offset per instance of our data field (developer data index): the first instance's sensors are ours:1-4,
    /// a further instance numbers on after the highest slot the previous instances recorded (two two-sensor instances:
    /// ours:1-2 and ours:3-4).
    /// </summary>
    private static Dictionary<byte, int> OurOffsets(List<Sensor> sensors)
    {
        var offsets = new Dictionary<byte, int>();
        var next = 0;
        foreach (var app in sensors.Where(x => x.OurSlot is not null).GroupBy(x => x.DeveloperIndex!.Value).OrderBy(g => g.Key))
        {
            offsets[app.Key] = next;
            next += app.Max(x => x.OurSlot!.Value);
        }
        return offsets;
    }

    /// <summary>True when the candidate has a valid (finite, non-zero) value in any row.</summary>
    private static bool HasValue(Candidate? c, int n)
    {
        if (c is null) return false;
        foreach (var v in c.Values.AsSpan(0, n))
            if (float.IsFinite(v) && v != 0) return true;
        return false;
    }

    private static float[] Scale(float[] raw, int n, double scale, double offset)
    {
        var v = new float[n];
        System.Numerics.Tensors.TensorPrimitives.Divide(raw.AsSpan(0, n), (float)scale, v);
        if (offset != 0) System.Numerics.Tensors.TensorPrimitives.Subtract(v, (float)offset, v);
        return v;
    }

    /// <summary>Adds a field to a sensor: a duplicate of what it has, or the start of a further sensor.</summary>
    private static void Attach(Sensor sensor, Candidate c, int n, List<Sensor> all)
    {
        ref var slot = ref (c.Quantity == Quantity.SmO2 ? ref sensor.SmO2 : ref sensor.THb);
        if (slot is null) { slot = c; return; }
        var tolerance = c.Quantity == Quantity.SmO2 ? SameSensorSmO2 : SameSensorTHb;
        if (AgreeFast(slot.Values, c.Values, n, tolerance, 0.5))
        {
            Fill(slot.Writable(n), c.Values, n);
            sensor.Duplicates.Add(c.Key);
            return;
        }
        // A reused name for a different sensor: a sibling in the same app whose slot is free.
        foreach (var other in all)
        {
            if (other == sensor || other.DeveloperIndex != sensor.DeveloperIndex || other.Label != sensor.Label + "+") continue;
            ref var o = ref (c.Quantity == Quantity.SmO2 ? ref other.SmO2 : ref other.THb);
            if (o is null) { o = c; return; }
            if (AgreeFast(o.Values, c.Values, n, tolerance, 0.5)) { Fill(o.Writable(n), c.Values, n); other.Duplicates.Add(c.Key); return; }
        }
        var sibling = new Sensor
        {
            Label = sensor.Label + "+", DeveloperIndex = sensor.DeveloperIndex, Precedence = sensor.Precedence, Name = sensor.Name,
        };
        if (c.Quantity == Quantity.SmO2) sibling.SmO2 = c; else sibling.THb = c;
        all.Add(sibling);
    }

    /// <summary>True when a and b agree within <paramref name="tolerance"/> on rows both have, and overlap enough.</summary>
    internal static bool Agree(float[] a, float[] b, int n, double tolerance, double minOverlap)
    {
        int both = 0, va = 0, vb = 0;
        double diff = 0;
        for (var i = 0; i < n; i++)
        {
            bool ha = float.IsFinite(a[i]) && a[i] != 0, hb = float.IsFinite(b[i]) && b[i] != 0;
            if (ha) va++;
            if (hb) vb++;
            if (ha && hb) { both++; diff += Math.Abs(a[i] - b[i]); }
        }
        if (va == 0 && vb == 0) return true;
        if (both == 0 || both < minOverlap * Math.Min(va, vb)) return false;
        return diff / both <= tolerance;
    }

    /// <summary>Like <see cref="Agree"/>, but gives up early when the first rows already differ clearly.</summary>
    internal static bool AgreeFast(float[] a, float[] b, int n, double tolerance, double minOverlap)
    {
        int both = 0;
        double diff = 0;
        for (var i = 0; i < n && both < 64; i++)
            if (float.IsFinite(a[i]) && a[i] != 0 && float.IsFinite(b[i]) && b[i] != 0) { both++; diff += Math.Abs(a[i] - b[i]); }
        if (both == 64 && diff / both > 4 * tolerance) return false;
        return Agree(a, b, n, tolerance, minOverlap);
    }

    private static void Fill(float[] target, float[] source, int n)
    {
        for (var i = 0; i < n; i++)
            if (!(float.IsFinite(target[i]) && target[i] != 0) && float.IsFinite(source[i])) target[i] = source[i];
    }

    private static bool Identical(Sensor a, Sensor b, int n)
    {
        if (a.SmO2 is null || b.SmO2 is null) return false;
        if (!AgreeFast(a.SmO2.Values, b.SmO2.Values, n, 0.15, 0.8)) return false;
        return a.THb is null || b.THb is null || Agree(a.THb.Values, b.THb.Values, n, 0.02, 0.8);
    }

    private static void MergeInto(Sensor keep, Sensor drop, int n)
    {
        Fill(keep.SmO2!.Writable(n), drop.SmO2!.Values, n);
        keep.Duplicates.Add(drop.SmO2.Key);
        if (drop.THb is not null)
        {
            if (keep.THb is null) keep.THb = drop.THb;
            else { Fill(keep.THb.Writable(n), drop.THb.Values, n); keep.Duplicates.Add(drop.THb.Key); }
        }
        keep.Duplicates.AddRange(drop.Duplicates);
        keep.Name ??= drop.Name;
    }

    private static ChannelInfo Identify(Sensor s, int? ourNumber, RideFrame ride, Dictionary<byte, string?> apps, SensorMap? map,
        DateTimeOffset? start, HashSet<string> usedIds)
    {
        var id = s.Label == "native" ? "native" : ourNumber is { } on ? $"ours:{on}" : (s.SmO2 ?? s.THb)!.Key;
        while (!usedIds.Add(id)) id += "'";
        var names = new[] { s.SmO2?.Column.Description?.Name, s.THb?.Column.Description?.Name };
        var identity = SensorIdentity.Resolve(s.OurSlot, s.DeveloperIndex, names, ride, map, start);
        return new ChannelInfo(id, s.Label.TrimEnd('+'), identity.Sensor, identity.Muscle, identity.Side, identity.Region,
            identity.Source, s.SmO2?.Key, s.THb?.Key, s.Duplicates.ToArray(),
            s.DeveloperIndex is { } di ? apps.GetValueOrDefault(di) : null);
    }
}
