namespace NirsSync.Analysis;

/// <summary>The resolved identity of a sensor.</summary>
internal readonly record struct Identity(uint? Sensor, Muscle Muscle, Side Side, Region Region, IdentitySource Source);

/// <summary>
/// Resolves which sensor a channel is and which muscle it sat on. Sensor number: our data field's
/// device_N + 65536 x device_hi_N (sensors 1-2; sensors 3-4 record none), a number in the field name, the app's CIQ_device_info, or a lone muscle-oxygen device_info.
/// Muscle and side, first source that knows them: our data field's muscle_N/side_N (session for sensors 1-2, laps
/// for 3-4), location in the
/// file (field name text, CIQ_device_info location, device_info.sensor_position), the athlete's map.
/// </summary>
internal static class SensorIdentity
{
    private const int MuscleOxygenDeviceType = 31;

    public static Identity Resolve(int? ourSlot, byte? devIndex, string?[] names, RideFrame ride, SensorMap? map,
        DateTimeOffset? start)
    {
        uint? sensor = null;
        var placements = new List<(Placement P, IdentitySource S)>();

        if (ourSlot is { } slot && devIndex is { } ours)
        {
            // Sensors 1-2: identity in the session, bits 16-19 of the device number in the laps; sensors 3-4: muscle and side in the laps.
            var identity = DataFieldContract.IsFullSlot(slot) ? ride.SessionDeveloperValues : ride.LapDeveloperValues;
            var muscle = Muscles.FromCode(Last(identity, ours, DataFieldContract.MuscleField(slot)));
            var side = Muscles.SideFromCode(Last(identity, ours, DataFieldContract.SideField(slot)));
            if (DataFieldContract.IsFullSlot(slot) && Last(identity, ours, DataFieldContract.DeviceField(slot)) is { } dn && dn is > 0 and <= ushort.MaxValue)
            {
                var high = Last(ride.LapDeveloperValues, ours, DataFieldContract.DeviceHighField(slot)) is { } hi && hi is >= 0 and <= 15 ? (uint)hi : 0;
                sensor = DataFieldContract.FullDeviceNumber((uint)dn, high);
            }
            var p = new Placement(muscle, Muscles.RegionOf(muscle), side);
            if (!p.IsEmpty) placements.Add((p, IdentitySource.DataField));
        }

        foreach (var name in names)
        {
            var (p, number) = LocationText.Read(name);
            sensor ??= number;
            if (!p.IsEmpty) placements.Add((p, IdentitySource.FileLocation));
        }

        if (devIndex is { } di && ourSlot is null && CiqDeviceInfo(ride, di) is { } ciq)
        {
            if (ciq.Sensor > 0) sensor ??= ciq.Sensor;
            if (ciq.Location is { } loc)
            {
                var (region, side) = Muscles.FromBodyLocation(loc);
                if (region != Region.Unknown) placements.Add((new Placement(Muscle.Unknown, region, side), IdentitySource.FileLocation));
            }
        }

        var moxies = ride.Devices.Where(d => d.DeviceType == MuscleOxygenDeviceType && d.AntDeviceNumber > 0)
            .GroupBy(d => d.AntDeviceNumber).Select(g => g.Last()).ToList();
        if (sensor is null && moxies.Count == 1 && devIndex is null) sensor = moxies[0].AntDeviceNumber;
        if (sensor is { } sn && moxies.FirstOrDefault(d => d.AntDeviceNumber == sn)?.SensorPosition is { } pos)
        {
            var (region, side) = Muscles.FromBodyLocation(pos);
            if (region != Region.Unknown) placements.Add((new Placement(Muscle.Unknown, region, side), IdentitySource.FileLocation));
        }

        if (sensor is { } s2 && map?.Find(s2, start) is { } a)
            placements.Add((new Placement(a.Muscle, Muscles.RegionOf(a.Muscle), a.Side), IdentitySource.AthleteMap));

        return Combine(sensor, placements);
    }

    /// <summary>The first source naming a muscle wins; without one, the first naming a region; side from that source or the next that has one.</summary>
    private static Identity Combine(uint? sensor, List<(Placement P, IdentitySource S)> placements)
    {
        var chosen = placements.FindIndex(p => p.P.Muscle != Muscle.Unknown);
        if (chosen < 0) chosen = placements.FindIndex(p => p.P.Region != Region.Unknown);
        if (chosen < 0) chosen = placements.FindIndex(p => p.P.Side != Side.Unknown);
        if (chosen < 0) return new Identity(sensor, Muscle.Unknown, Side.Unknown, Region.Unknown, IdentitySource.Unknown);
        var (p, source) = placements[chosen];
        var side = p.Side;
        var region = p.Region;
        for (var i = chosen + 1; i < placements.Count; i++)
        {
            var other = placements[i].P;
            // A later source must not contradict the chosen region to lend its side.
            if (other.Region != Region.Unknown && region != Region.Unknown && other.Region != region) continue;
            if (side == Side.Unknown && other.Side != Side.Unknown) side = other.Side;
            if (region == Region.Unknown) region = other.Region;
        }
        return new Identity(sensor, p.Muscle, side, region, source);
    }

    /// <summary>
    /// The last valid value of developer field <paramref name="number"/> of app <paramref name="devIndex"/> among
    /// session or lap values (the latest setting when it changed during the ride; a missing value in one lap does not
    /// hide the others).
    /// </summary>
    private static double? Last(IReadOnlyList<RideDeveloperValue> values, byte devIndex, byte number)
    {
        for (var i = values.Count - 1; i >= 0; i--)
        {
            var v = values[i];
            if (v.Description.DeveloperDataIndex == devIndex && v.Description.FieldDefinitionNumber == number
                && v.RawValues.Length > 0 && v.RawValues[0] is { } x)
                return x;
        }
        return null;
    }

    /// <summary>CIQ_device_info = [31, location, device number bytes (little-endian) ..., manufacturer].</summary>
    private static (uint Sensor, int? Location)? CiqDeviceInfo(RideFrame ride, byte devIndex)
    {
        foreach (var v in ride.SessionDeveloperValues)
        {
            if (v.Description.DeveloperDataIndex != devIndex || v.Description.Name != "CIQ_device_info") continue;
            var r = v.RawValues;
            if (r.Length < 6 || r[0] != MuscleOxygenDeviceType) continue;
            uint number = 0;
            for (var i = 0; i < 4; i++) number |= (uint)(r[2 + i] ?? 0) << (8 * i);
            return (number, r[1] is { } loc ? (int)loc : null);
        }
        return null;
    }
}
