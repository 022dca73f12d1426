using System.Text.Json;
using System.Text.Json.Serialization;

namespace NirsSync.Data.Documents;

/// <summary>
/// One line of an athlete's sensor-to-muscle map: the sensor's ANT device number and the muscle and
/// side it sits on (codes of docs/fit-fields.md: muscle 0-11, side 0 unknown, 1 left, 2 right). With
/// <see cref="From"/>/<see cref="To"/> the entry is one placement of the sensor: rides in [From, To) take it, a new
/// placement starts a new baseline for that muscle in the weekly trends, and <see cref="Note"/> says why (re-taped,
/// moved). The same device may appear once per placement, with periods that do not overlap.
/// </summary>
public sealed record SensorMapEntry(int Device, int Muscle, int Side)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? From { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? To { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }
}

public static class SensorMap
{
    public const int MaxMuscle = Analysis.DataFieldContract.MaxMuscleCode;

    public static IReadOnlyList<SensorMapEntry> Parse(string json) =>
        JsonSerializer.Deserialize<List<SensorMapEntry>>(json, AnalysisJson.Options) ?? [];

    /// <summary>The map as the analysis takes it, or null for an empty map (the data field's own labels apply).</summary>
    public static Analysis.SensorMap? ToAnalysisMap(IReadOnlyList<SensorMapEntry> entries) => entries.Count == 0
        ? null
        : new Analysis.SensorMap(entries.Select(e => new Analysis.SensorAssignment((uint)e.Device, (Analysis.Muscle)e.Muscle,
            (Analysis.Side)e.Side, e.From, e.To)).ToList());

    public const int NoteLength = 500;

    /// <summary>
    /// The placements the weekly trends start new baselines at: every dated entry of a known muscle, as the trend
    /// subject it feeds ("vastus_lateralis/left").
    /// </summary>
    public static IReadOnlyList<Analysis.PlacementPeriod> Placements(IReadOnlyList<SensorMapEntry> entries) => entries
        .Where(e => e.From is not null && e.Muscle != 0)
        .Select(e => new Analysis.PlacementPeriod(
            $"{Analysis.Muscles.Name((Analysis.Muscle)e.Muscle)}/{Analysis.Muscles.Name((Analysis.Side)e.Side)}",
            e.From!.Value, e.To, e.Note ?? $"sensor {e.Device}"))
        .ToList();

    public static string Serialize(IEnumerable<SensorMapEntry> entries) =>
        JsonSerializer.Serialize(entries.OrderBy(e => e.Device).ThenBy(e => e.From ?? DateTimeOffset.MinValue), AnalysisJson.Options);

    /// <summary>Null when the map is valid, else what is wrong with it.</summary>
    public static string? Validate(IReadOnlyList<SensorMapEntry>? entries)
    {
        if (entries is null) return "the body must be a JSON array of {device, muscle, side, from?, to?, note?}";
        var seen = new Dictionary<int, List<SensorMapEntry>>();
        foreach (var e in entries)
        {
            if (e is null) return "the array holds a null entry";
            if (e.Device is < 1 or > MaxDevice) return $"device {e.Device} is not an ANT device number (1-{MaxDevice})";
            if (e.Muscle is < 0 or > MaxMuscle) return $"muscle {e.Muscle} of device {e.Device} is not a muscle code (0-{MaxMuscle})";
            if (e.Side is < 0 or > 2) return $"side {e.Side} of device {e.Device} is not a side code (0 unknown, 1 left, 2 right)";
            if (e.From is { } f && e.To is { } t && t <= f) return $"device {e.Device}: to {t:O} is not after from {f:O}";
            if (e.Note is { Length: > NoteLength }) return $"device {e.Device}: note has {e.Note.Length} characters; at most {NoteLength}";
            if (!seen.TryGetValue(e.Device, out var placements)) seen[e.Device] = placements = [];
            foreach (var other in placements)
                if (Overlap(e, other))
                    return other.From is null && other.To is null && e.From is null && e.To is null
                        ? $"device {e.Device} appears twice"
                        : $"device {e.Device} has two placements whose periods overlap (give each entry from/to that do not overlap)";
            placements.Add(e);
        }
        return null;
    }

    /// <summary>Largest sensor number: ANT+ extended device numbers have 20 bits; sensor-export serials fit too.</summary>
    public const int MaxDevice = 0xFFFFF;

    private static bool Overlap(SensorMapEntry a, SensorMapEntry b) =>
        (a.From ?? DateTimeOffset.MinValue) < (b.To ?? DateTimeOffset.MaxValue)
        && (b.From ?? DateTimeOffset.MinValue) < (a.To ?? DateTimeOffset.MaxValue);

    /// <summary>Device numbers whose placements differ between the two maps.</summary>
    public static IReadOnlySet<int> Changed(IReadOnlyList<SensorMapEntry> before, IReadOnlyList<SensorMapEntry> after)
    {
        static Dictionary<int, List<SensorMapEntry>> ByDevice(IReadOnlyList<SensorMapEntry> map) => map.GroupBy(e => e.Device)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.From ?? DateTimeOffset.MinValue).ToList());
        var a = ByDevice(before);
        var b = ByDevice(after);
        var changed = new HashSet<int>();
        foreach (var device in a.Keys.Union(b.Keys))
            if (!a.TryGetValue(device, out var x) || !b.TryGetValue(device, out var y) || !x.SequenceEqual(y)) changed.Add(device);
        return changed;
    }
}
