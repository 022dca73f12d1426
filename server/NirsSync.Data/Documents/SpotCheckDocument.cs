using System.Text.Json;
using System.Text.Json.Serialization;
using NirsSync.Analysis;

namespace NirsSync.Data
{
/// <summary>Bounds of a spot check (docs/api.md, "Spot checks").</summary>
public static class SpotCheckLimits
{
    public const int NoteLength = 1000;
    public const int MaxEntries = 16;
    public const double MaxTHb = 40;
    public static readonly IReadOnlyList<string> Conditions = ["rest", "pre_exercise", "post_exercise"];
}
}

namespace NirsSync.Data.Documents
{
    /// <summary>One site of a spot check as the API and the database hold it: names of docs/fit-fields.md's code tables.</summary>
    public sealed record SpotCheckEntry(
        [property: JsonPropertyName("muscle")] string? Muscle,
        [property: JsonPropertyName("side")] string? Side,
        [property: JsonPropertyName("smo2")] double? SmO2,
        [property: JsonPropertyName("thb")] double? THb);

    /// <summary>The body of <c>POST /api/athletes/{id}/spot-checks</c>.</summary>
    public sealed record SpotCheckRequest(DateTimeOffset? TakenAt, string? Condition, string? Note, List<SpotCheckEntry?>? Entries);

    /// <summary>Reads, checks and writes spot-check entries; turns them into the analysis' sites.</summary>
    public static class SpotCheckDocument
    {
        private static readonly Dictionary<string, Muscle> MuscleNames = Enum.GetValues<Muscle>()
            .Where(m => m != Analysis.Muscle.Unknown).ToDictionary(Muscles.Name, StringComparer.Ordinal);

        public static string Serialize(IEnumerable<SpotCheckEntry> entries) => JsonSerializer.Serialize(entries, AnalysisJson.Options);

        public static IReadOnlyList<SpotCheckEntry> Parse(string json) =>
            JsonSerializer.Deserialize<List<SpotCheckEntry>>(json, AnalysisJson.Options) ?? [];

        /// <summary>The analysis' sites of stored (valid) entries.</summary>
        public static IReadOnlyList<RestSite> Sites(IReadOnlyList<SpotCheckEntry> entries) =>
            entries.Select(e => new RestSite(MuscleNames[e.Muscle!], e.Side == "left" ? Analysis.Side.Left : Analysis.Side.Right,
                e.SmO2!.Value, e.THb)).ToList();

        /// <summary>Stored entries of an assessment found in a ride.</summary>
        public static IReadOnlyList<SpotCheckEntry> FromSites(IReadOnlyList<RestSite> sites) =>
            sites.Select(s => new SpotCheckEntry(Muscles.Name(s.Muscle), Muscles.Name(s.Side), s.SmO2, s.THb)).ToList();

        /// <summary>Null when the request is a valid spot check, else what is wrong, naming the entry.</summary>
        public static string? Validate(SpotCheckRequest? request, DateTimeOffset now)
        {
            if (request is null)
                return "the body must be a JSON object {\"takenAt\", \"condition\", \"note\", \"entries\": [{\"muscle\", \"side\", \"smo2\", \"thb\"}]}";
            if (request.TakenAt is not { } taken) return "takenAt is required (ISO 8601 with an offset, e.g. 2026-02-06T07:30:00+01:00)";
            if (taken > now.AddDays(1)) return $"takenAt {taken:O} is in the future";
            if (taken.Year < 2000) return $"takenAt {taken:O} is before 2000";
            if (request.Condition is { } c && !SpotCheckLimits.Conditions.Contains(c))
                return $"condition '{Clip(c)}' is not one of {string.Join(", ", SpotCheckLimits.Conditions)}";
            if (request.Note is { Length: > SpotCheckLimits.NoteLength } note)
                return $"note has {note.Length} characters; at most {SpotCheckLimits.NoteLength}";
            if (request.Entries is not { Count: > 0 } entries) return "entries must list at least one {muscle, side, smo2, thb}";
            if (entries.Count > SpotCheckLimits.MaxEntries) return $"entries has {entries.Count} sites; at most {SpotCheckLimits.MaxEntries}";
            var seen = new Dictionary<(string, string), int>();
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                var at = $"entries[{i}]";
                if (e is null) return $"{at} is null";
                if (e.Muscle is null || !MuscleNames.ContainsKey(e.Muscle))
                    return $"{at}: muscle '{Clip(e.Muscle)}' is not a muscle name ({string.Join(", ", MuscleNames.Keys)})";
                if (e.Side is not ("left" or "right")) return $"{at}: side '{Clip(e.Side)}' is not left or right";
                if (e.SmO2 is not { } smo2 || !double.IsFinite(smo2) || smo2 is < 0 or > 100)
                    return $"{at} ({e.Muscle} {e.Side}): smo2 {Show(e.SmO2)} is not a saturation 0-100 %";
                if (e.THb is { } thb && (!double.IsFinite(thb) || thb is < 0 or > SpotCheckLimits.MaxTHb))
                    return $"{at} ({e.Muscle} {e.Side}): thb {Show(thb)} is not a total hemoglobin 0-{SpotCheckLimits.MaxTHb} g/dL";
                if (seen.TryGetValue((e.Muscle, e.Side), out var first))
                    return $"{at}: {e.Muscle} {e.Side} appears twice (also entries[{first}])";
                seen[(e.Muscle, e.Side)] = i;
            }
            return null;
        }

        private static string Show(double? v) => v is { } x ? x.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(missing)";

        private static string Clip(string? s) => s is null ? "(missing)" : s.Length <= 40 ? s : s[..40] + "...";
    }
}
