using System.Text.Json;

namespace NirsSync.Data.Documents;

/// <summary>
/// One line of an athlete's sensor-to-muscle map: the sensor's ANT device number and the muscle and
/// side it sits on (codes of docs/fit-fields.md: muscle 0-11, side 0 unknown, 1 left, 2 right).
/// </summary>
public sealed record SensorMapEntry(int Device, int Muscle, int Side);

public static class SensorMap
{
    public const int MaxMuscle = Analysis.DataFieldContract.MaxMuscleCode;

    public static IReadOnlyList<SensorMapEntry> Parse(string json) =>
        JsonSerializer.Deserialize<List<SensorMapEntry>>(json, AnalysisJson.Options) ?? [];

    /// <summary>The map as the analysis takes it, or null for an empty map (the data field's own labels apply).</summary>
    public static Analysis.SensorMap? ToAnalysisMap(IReadOnlyList<SensorMapEntry> entries) => entries.Count == 0
        ? null
        : new Analysis.SensorMap(entries.Select(e => new Analysis.SensorAssignment((uint)e.Device, (Analysis.Muscle)e.Muscle,
            (Analysis.Side)e.Side)).ToList());

    public static string Serialize(IEnumerable<SensorMapEntry> entries) =>
        JsonSerializer.Serialize(entries.OrderBy(e => e.Device), AnalysisJson.Options);

    /// <summary>Null when the map is valid, else what is wrong with it.</summary>
    public static string? Validate(IReadOnlyList<SensorMapEntry>? entries)
    {
        if (entries is null) return "the body must be a JSON array of {device, muscle, side}";
        var seen = new HashSet<int>();
        foreach (var e in entries)
        {
            if (e is null) return "the array holds a null entry";
            if (e.Device is < 1 or > 65535) return $"device {e.Device} is not an ANT device number (1-65535)";
            if (e.Muscle is < 0 or > MaxMuscle) return $"muscle {e.Muscle} of device {e.Device} is not a muscle code (0-{MaxMuscle})";
            if (e.Side is < 0 or > 2) return $"side {e.Side} of device {e.Device} is not a side code (0 unknown, 1 left, 2 right)";
            if (!seen.Add(e.Device)) return $"device {e.Device} appears twice";
        }
        return null;
    }

    /// <summary>Device numbers whose assignment differs between the two maps.</summary>
    public static IReadOnlySet<int> Changed(IReadOnlyList<SensorMapEntry> before, IReadOnlyList<SensorMapEntry> after)
    {
        var a = before.ToDictionary(e => e.Device);
        var b = after.ToDictionary(e => e.Device);
        var changed = new HashSet<int>();
        foreach (var device in a.Keys.Union(b.Keys))
            if (!a.TryGetValue(device, out var x) || !b.TryGetValue(device, out var y) || x != y) changed.Add(device);
        return changed;
    }
}
