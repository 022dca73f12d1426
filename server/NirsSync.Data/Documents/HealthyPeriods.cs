using System.Text.Json;
using NirsSync.Analysis;

namespace NirsSync.Data.Documents;

/// <summary>A period the coach marks as healthy (dates in the athlete's calendar, both included); subject null = every pair.</summary>
public sealed record HealthyPeriodEntry(DateOnly? From, DateOnly? To, string? Subject = null);

/// <summary>Reads, checks and writes an athlete's healthy periods, and hands them to the weekly trends.</summary>
public static class HealthyPeriods
{
    public const int MaxEntries = 20;
    public const int SubjectLength = 200;

    public static IReadOnlyList<HealthyPeriodEntry> Parse(string json) =>
        JsonSerializer.Deserialize<List<HealthyPeriodEntry>>(json, AnalysisJson.Options) ?? [];

    public static string Serialize(IEnumerable<HealthyPeriodEntry> entries) =>
        JsonSerializer.Serialize(entries.OrderBy(e => e.From), AnalysisJson.Options);

    public static IReadOnlyList<HealthyPeriod> ToAnalysis(IReadOnlyList<HealthyPeriodEntry> entries) =>
        entries.Select(e => new HealthyPeriod(e.From!.Value, e.To!.Value, e.Subject)).ToList();

    /// <summary>Null when valid, else what is wrong, naming the entry.</summary>
    public static string? Validate(IReadOnlyList<HealthyPeriodEntry?>? entries)
    {
        if (entries is null) return "the body must be a JSON array of {from, to, subject?} with dates as yyyy-MM-dd";
        if (entries.Count > MaxEntries) return $"{entries.Count} periods; at most {MaxEntries}";
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e is null) return $"[{i}] is null";
            if (e.From is not { } from || e.To is not { } to) return $"[{i}]: from and to are required (yyyy-MM-dd)";
            if (to < from) return $"[{i}]: to {to:yyyy-MM-dd} is before from {from:yyyy-MM-dd}";
            if (e.Subject is { } s && (s.Length > SubjectLength || !s.Contains('|', StringComparison.Ordinal)))
                return $"[{i}]: subject must name a pair as the trends do (\"vastus_lateralis/left|vastus_lateralis/right\")";
        }
        return null;
    }
}
