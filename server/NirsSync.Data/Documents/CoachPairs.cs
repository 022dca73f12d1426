using System.Text.Json;
using NirsSync.Analysis;

namespace NirsSync.Data.Documents;

/// <summary>
/// A pair of channels a coach wants compared for one athlete, by the names the ride JSON uses:
/// muscle ("rectus_femoris") and side ("left", "right", "unknown") of A and of B, and the pair's name.
/// </summary>
public sealed record CoachPairEntry(string MuscleA, string SideA, string MuscleB, string SideB, string Name);

public static class CoachPairs
{
    public const int MaxPairs = 32;
    public const int MaxNameLength = 80;

    private static readonly Dictionary<string, Muscle> MuscleNames =
        Enum.GetValues<Muscle>().Where(m => m != Muscle.Unknown).ToDictionary(Muscles.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, Side> SideNames =
        Enum.GetValues<Side>().ToDictionary(Muscles.Name, StringComparer.Ordinal);

    public static IReadOnlyList<CoachPairEntry> Parse(string json) =>
        JsonSerializer.Deserialize<List<CoachPairEntry>>(json, AnalysisJson.Options) ?? [];

    public static string Serialize(IEnumerable<CoachPairEntry> entries) => JsonSerializer.Serialize(entries, AnalysisJson.Options);

    /// <summary>Null when every pair names known muscles and sides, else what is wrong (naming the value).</summary>
    public static string? Validate(IReadOnlyList<CoachPairEntry?>? entries)
    {
        if (entries is null) return "the body must be a JSON array of {muscleA, sideA, muscleB, sideB, name}";
        if (entries.Count > MaxPairs) return $"{entries.Count} pairs; at most {MaxPairs}";
        var seen = new HashSet<(Muscle, Side, Muscle, Side)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e is null) return $"pair {i} is null";
            var error = MuscleError(e.MuscleA, "muscleA", i) ?? SideError(e.SideA, "sideA", i)
                ?? MuscleError(e.MuscleB, "muscleB", i) ?? SideError(e.SideB, "sideB", i);
            if (error is not null) return error;
            if (string.IsNullOrWhiteSpace(e.Name)) return $"pair {i} has no name";
            if (e.Name.Length > MaxNameLength) return $"the name of pair {i} is longer than {MaxNameLength} characters";
            var key = Definition(e);
            if (key.MuscleA == key.MuscleB && key.SideA == key.SideB)
                return $"pair {i} ({e.Name}) compares {e.MuscleA}/{e.SideA} with itself";
            if (!seen.Add((key.MuscleA, key.SideA, key.MuscleB, key.SideB)))
                return $"pair {i} ({e.Name}) repeats {e.MuscleA}/{e.SideA} against {e.MuscleB}/{e.SideB}";
        }
        return null;
    }

    /// <summary>The analysis core's form of stored (validated) pairs.</summary>
    public static IReadOnlyList<PairDefinition> ToDefinitions(IReadOnlyList<CoachPairEntry> entries) =>
        entries.Select(Definition).ToList();

    private static PairDefinition Definition(CoachPairEntry e) =>
        new(MuscleNames[e.MuscleA], SideNames[e.SideA], MuscleNames[e.MuscleB], SideNames[e.SideB], e.Name.Trim());

    private static string? MuscleError(string? name, string field, int i) => name is not null && MuscleNames.ContainsKey(name)
        ? null
        : $"{field} of pair {i}: unknown muscle '{name}' (one of {string.Join(", ", MuscleNames.Keys)})";

    private static string? SideError(string? name, string field, int i) => name is not null && SideNames.ContainsKey(name)
        ? null
        : $"{field} of pair {i}: unknown side '{name}' (left, right or unknown)";
}
