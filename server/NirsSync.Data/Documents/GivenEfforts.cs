using System.Globalization;
using System.Text.Json;
using NirsSync.Analysis;

namespace NirsSync.Data.Documents;

/// <summary>
/// A work interval given for a ride, in seconds from the recording's first sample (as <c>nirssync inspect --efforts</c>);
/// stored and answered with the ride answer's names (<c>startS</c>, <c>endS</c>).
/// </summary>
public sealed record GivenEffort(double StartS, double EndS);

/// <summary>
/// Reads, checks and writes the efforts a coach gives for one ride (<c>PUT /api/rides/{id}/efforts</c>); the analysis
/// uses them instead of the efforts it finds from power, laps or SmO2 (source "given").
/// </summary>
public static class GivenEfforts
{
    /// <summary>At most this many intervals per ride (a ride of 200 intervals is already 4 hours of 30/30s).</summary>
    public const int MaxEntries = 200;

    private const string Shape = "the body must be {\"efforts\": [{\"start_s\": seconds, \"end_s\": seconds}, ...]}";

    public static IReadOnlyList<GivenEffort>? Parse(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<List<GivenEffort>>(json, AnalysisJson.Options) ?? [];

    public static string Serialize(IReadOnlyList<GivenEffort> efforts) => JsonSerializer.Serialize(efforts, AnalysisJson.Options);

    /// <summary>The analysis core's form; null when none are given (efforts found automatically).</summary>
    public static IReadOnlyList<EffortInterval>? ToAnalysis(string? json) =>
        Parse(json)?.Select(e => new EffortInterval(e.StartS, e.EndS)).ToList();

    /// <summary>
    /// The intervals of a request body checked against a ride of <paramref name="durationS"/> seconds; else what is
    /// wrong, naming the entry (1-based, as <c>inspect --efforts</c> counts): a non-number, a negative start, an end
    /// not after its start, a start at or beyond the ride's end, an overlap with the entry before (in time order),
    /// more than <see cref="MaxEntries"/> entries.
    /// </summary>
    public static (IReadOnlyList<GivenEffort>? Efforts, string? Problem) Read(JsonElement body, double durationS)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("efforts", out var array)
            || array.ValueKind != JsonValueKind.Array)
            return (null, Shape);
        var count = array.GetArrayLength();
        if (count == 0) return (null, "efforts is empty: give at least one interval, or DELETE the ride's efforts to find them automatically");
        if (count > MaxEntries) return (null, $"{count} efforts; at most {MaxEntries} per ride");
        var list = new List<GivenEffort>(count);
        var k = 0;
        foreach (var item in array.EnumerateArray())
        {
            k++;
            if (item.ValueKind != JsonValueKind.Object) return (null, $"effort {k} is not an object {{\"start_s\", \"end_s\"}}");
            // The request's names (start_s, end_s, as inspect --json) or the ride answer's (startS, endS), so a GET can be sent back.
            if (Number(item, "start_s", "startS") is not { } given) return (null, $"effort {k}: start_s must be a number of seconds");
            if (Number(item, "end_s", "endS") is not { } givenEnd) return (null, $"effort {k}: end_s must be a number of seconds");
            // Checked as stored (to the millisecond), so that what passes is what the analysis gets.
            var s = Math.Round(given, 3);
            var e = Math.Round(givenEnd, 3);
            var what = string.Create(CultureInfo.InvariantCulture, $"effort {k} ({s}-{e} s)");
            if (s < 0) return (null, $"{what}: start_s is negative; seconds count from the recording's first sample");
            if (e <= s) return (null, $"{what}: end_s must be after start_s");
            if (s >= durationS)
                return (null, string.Create(CultureInfo.InvariantCulture, $"{what} starts after the ride ends ({durationS:0} s)"));
            if (list.Count > 0 && s < list[^1].EndS)
                return (null, $"{what} starts before effort {k - 1} ends: give efforts in time order, without overlap");
            list.Add(new GivenEffort(s, e));
        }
        return (list, null);
    }

    private static double? Number(JsonElement item, string name, string alias) =>
        (item.TryGetProperty(name, out var v) || item.TryGetProperty(alias, out v)) && v.ValueKind == JsonValueKind.Number
            && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;
}
