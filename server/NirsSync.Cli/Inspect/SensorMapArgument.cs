using System.Globalization;
using System.Text.Json;
using NirsSync.Analysis;

namespace NirsSync.Cli;

/// <summary>
/// The athlete's sensor-to-muscle map for <c>nirssync inspect --map</c>: inline entries
/// <c>DEVICE=MUSCLE[:SIDE]</c> separated by commas (muscle and side by name, "vastus_lateralis:left", or by
/// the data field's codes, "1:1"), or a JSON file in the server's shape <c>[{"device","muscle","side"}]</c>
/// (codes, as <c>PUT /api/athletes/{id}/sensor-map</c> takes them).
/// </summary>
internal static class SensorMapArgument
{
    /// <summary>The map, or the reason the text is not one.</summary>
    public static (SensorMap? Map, string? Error) Parse(IEnumerable<string> values)
    {
        var assignments = new List<SensorAssignment>();
        foreach (var value in values)
        {
            var error = File.Exists(value) ? ReadFile(value, assignments) : ReadInline(value, assignments);
            if (error is not null) return (null, error);
        }
        var twice = assignments.GroupBy(a => a.Sensor).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) return (null, $"sensor {twice.Key} is mapped twice");
        return (new SensorMap(assignments), null);
    }

    private static string? ReadInline(string text, List<SensorAssignment> into)
    {
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) return $"'{raw}' is not DEVICE=MUSCLE[:SIDE] (and no file has that name)";
            if (!uint.TryParse(raw[..eq], NumberStyles.None, CultureInfo.InvariantCulture, out var device) || device is < 1 or > 65535)
                return $"'{raw[..eq]}' in '{raw}' is not an ANT device number (1-65535)";
            var place = raw[(eq + 1)..].Split(':');
            if (place.Length > 2) return $"'{raw}' has more than MUSCLE:SIDE after the '='";
            var muscle = MuscleOf(place[0]);
            if (muscle is null) return $"'{place[0]}' in '{raw}' is not a muscle ({string.Join(", ", Enum.GetValues<Muscle>().Select(Muscles.Name))} or 0-11)";
            var side = place.Length == 2 ? SideOf(place[1]) : Side.Unknown;
            if (side is null) return $"'{place[1]}' in '{raw}' is not a side (left, right, unknown or 0-2)";
            into.Add(new SensorAssignment(device, muscle.Value, side.Value));
        }
        return null;
    }

    /// <summary>A file in the server's shape, read and checked by the server's own code.</summary>
    private static string? ReadFile(string path, List<SensorAssignment> into)
    {
        IReadOnlyList<Data.Documents.SensorMapEntry> entries;
        try { entries = Data.Documents.SensorMap.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { return $"{path}: not a JSON array of {{device, muscle, side}} ({e.Message})"; }
        if (Data.Documents.SensorMap.Validate(entries) is { } error) return $"{path}: {error}";
        if (Data.Documents.SensorMap.ToAnalysisMap(entries) is { } map) into.AddRange(map.Assignments);
        return null;
    }

    private static Muscle? MuscleOf(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            return code <= (int)Muscle.Deltoid ? (Muscle)code : null;
        foreach (var m in Enum.GetValues<Muscle>())
            if (string.Equals(Muscles.Name(m), text.Trim(), StringComparison.OrdinalIgnoreCase)) return m;
        return null;
    }

    private static Side? SideOf(string text) => text.Trim().ToLowerInvariant() switch
    {
        "0" or "unknown" => Side.Unknown,
        "1" or "left" or "l" => Side.Left,
        "2" or "right" or "r" => Side.Right,
        _ => null,
    };
}
