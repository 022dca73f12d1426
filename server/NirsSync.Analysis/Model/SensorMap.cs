namespace NirsSync.Analysis;

/// <summary>
/// One entry of an athlete's sensor-to-muscle map: the sensor with ANT device number
/// <paramref name="Sensor"/> sat on <paramref name="Muscle"/>/<paramref name="Side"/> between
/// <paramref name="From"/> and <paramref name="To"/> (open ends when null).
/// </summary>
public sealed record SensorAssignment(uint Sensor, Muscle Muscle, Side Side, DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>The athlete's sensor-to-muscle map, supplied by the server.</summary>
public sealed record SensorMap(IReadOnlyList<SensorAssignment> Assignments)
{
    /// <summary>The assignment of <paramref name="sensor"/> valid at <paramref name="at"/>, latest start first.</summary>
    public SensorAssignment? Find(uint sensor, DateTimeOffset? at)
    {
        SensorAssignment? best = null;
        foreach (var a in Assignments)
        {
            if (a.Sensor != sensor) continue;
            if (at is { } t && ((a.From is { } f && t < f) || (a.To is { } e && t >= e))) continue;
            if (best is null || (a.From ?? DateTimeOffset.MinValue) > (best.From ?? DateTimeOffset.MinValue)) best = a;
        }
        return best;
    }
}
