using System.Collections.Concurrent;
using NirsSync.Analysis;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Auth;

namespace NirsSync.Server.Dashboard;

/// <summary>One week of one pair metric in the heat map: how far the week's change leaves the noise band, and which way.</summary>
public sealed record HeatCell(DateOnly Week, double? Value, double? Change, double? NoiseBand, bool Flag, bool Lasting)
{
    /// <summary>|change| / noise band: 1 is the edge of the noise; null without a baseline yet.</summary>
    public double? Beyond => Change is { } c && NoiseBand is > 0 and var n ? Math.Abs(c) / n : null;
}

/// <summary>A row of the heat map: one pair (subject) and metric over the overview's weeks.</summary>
public sealed record HeatRow(string Subject, string Metric, IReadOnlyList<HeatCell> Cells);

/// <summary>One athlete in the team overview.</summary>
public sealed record OverviewRow(Guid Id, string Name, double Attention, int Rides, Guid? LatestRideId, DateTimeOffset? LatestRide,
    IReadOnlyList<HeatRow> Heat, IReadOnlyList<string> Flags, IReadOnlyList<string> Warnings);

/// <summary>
/// The team overview's data: every athlete the viewer may see against the last <see cref="Weeks"/> ISO weeks. The part
/// computed from an athlete's stored trends is cached per (athlete, trends version) and the latest ride's quality per
/// ride, so a request reads only names, versions and the latest ride from the database unless something changed.
/// </summary>
public sealed class Overview
{
    public const int Weeks = 12;
    private static readonly string[] HeatMetrics = ["asymmetry_p50", "correlation"];
    private readonly ConcurrentDictionary<(Guid, long), TrendPart> _trends = new();
    private readonly ConcurrentDictionary<Guid, IReadOnlyList<string>> _quality = new();

    private sealed record TrendPart(IReadOnlyList<HeatRow> Heat, IReadOnlyList<string> Flags, IReadOnlyList<string> Warnings, double Attention);

    public async Task<List<OverviewRow>> BuildAsync(NirsDbContext db, AccessControl access, Viewer viewer, DateOnly today,
        CancellationToken ct = default)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var weeks = Enumerable.Range(0, Weeks).Select(i => monday.AddDays(-7 * (Weeks - 1 - i))).ToArray();
        var heads = await access.VisibleAthletes(viewer)
            .Select(a => new
            {
                a.Id, a.Name, a.TrendsVersion,
                Rides = db.Rides.Count(r => r.AthleteId == a.Id),
                // Two scalar subqueries on the (AthleteId, StartTime) index; a nested object here would become a window
                // function over every ride of every athlete.
                LatestId = db.Rides.Where(r => r.AthleteId == a.Id).OrderByDescending(r => r.StartTime).Select(r => (Guid?)r.Id).FirstOrDefault(),
                LatestStart = db.Rides.Where(r => r.AthleteId == a.Id).Max(r => (DateTimeOffset?)r.StartTime),
            }).ToListAsync(ct);
        var missing = heads.Where(h => !_trends.ContainsKey((h.Id, h.TrendsVersion * 1_000_000 + monday.DayNumber))).Select(h => h.Id).ToList();
        if (missing.Count > 0)
        {
            var docs = await db.Athletes.AsNoTracking().Where(a => missing.Contains(a.Id))
                .Select(a => new { a.Id, a.TrendsVersion, a.TrendsJson }).ToListAsync(ct);
            foreach (var d in docs) _trends[(d.Id, d.TrendsVersion * 1_000_000 + monday.DayNumber)] = FromTrends(TrendView.Parse(d.TrendsJson), weeks);
        }
        var latestIds = heads.Where(h => h.LatestId is { } id && !_quality.ContainsKey(id)).Select(h => h.LatestId!.Value).ToList();
        if (latestIds.Count > 0)
        {
            var rides = await db.Rides.AsNoTracking().Where(r => latestIds.Contains(r.Id))
                .Select(r => new { r.Id, r.Document, r.Warning }).ToListAsync(ct);
            foreach (var r in rides)
                _quality[r.Id] = Quality(JsonSerializer.Serialize(RideDocuments.Read(r.Document).Metrics, AnalysisJson.Options), r.Warning);
        }
        var result = new List<OverviewRow>(heads.Count);
        foreach (var h in heads)
        {
            var part = _trends.TryGetValue((h.Id, h.TrendsVersion * 1_000_000 + monday.DayNumber), out var p) ? p : FromTrends(TrendView.Empty, weeks);
            IReadOnlyList<string> quality = h.LatestId is { } l && _quality.TryGetValue(l, out var q) ? q : [];
            var warnings = part.Warnings.Concat(quality).ToList();
            result.Add(new OverviewRow(h.Id, h.Name, Math.Round(part.Attention + quality.Count, 2), h.Rides, h.LatestId, h.LatestStart,
                part.Heat, part.Flags, warnings));
        }
        return result;
    }

    private static TrendPart FromTrends(TrendView trends, DateOnly[] weeks)
    {
        var heat = new List<HeatRow>();
        foreach (var series in trends.Pairs.Where(s => HeatMetrics.Contains(s.Metric)).OrderBy(s => s.Subject, StringComparer.Ordinal).ThenBy(s => Array.IndexOf(HeatMetrics, s.Metric)))
        {
            var byWeek = series.Weeks.ToDictionary(w => w.WeekStart);
            var cells = new HeatCell[weeks.Length];
            for (var i = 0; i < weeks.Length; i++)
            {
                if (!byWeek.TryGetValue(weeks[i], out var w)) { cells[i] = new HeatCell(weeks[i], null, null, null, false, false); continue; }
                // A lasting state: this week and the two weeks before it are all beyond the noise band.
                var lasting = w.Flag && Enumerable.Range(1, 2).All(k => byWeek.TryGetValue(weeks[i].AddDays(-7 * k), out var b) && b.Flag);
                cells[i] = new HeatCell(weeks[i], w.Value, w.Change, w.NoiseBand, w.Flag, lasting);
            }
            heat.Add(new HeatRow(series.Subject, series.Metric, cells));
        }
        // Attention: how far the flags of the last two weeks leave their noise band (pairs count fully, muscles half).
        var recent = weeks[^2..];
        double attention = 0;
        var flags = new List<string>();
        var warnings = new List<string>();
        foreach (var (series, pair) in trends.Pairs.Select(s => (s, true)).Concat(trends.Muscles.Select(s => (s, false))))
            foreach (var w in series.Weeks.Where(w => w.Flag && recent.Contains(w.WeekStart)))
            {
                var beyond = w.Change is { } c && w.NoiseBand is > 0 ? Math.Abs(c) / w.NoiseBand.Value : 1;
                attention += (pair ? 1.0 : 0.5) * beyond;
                if (w.WeekStart == weeks[^1] || !series.Weeks.Any(x => x.WeekStart == weeks[^1] && x.Flag))
                    flags.Add(FlagText(series, w));
                if (!pair && series.Metric == "thb_p50" && w.WeekStart == weeks[^1])
                    warnings.Add($"{Names.Subject(series.Subject)}: tHb level moved {Names.Number(w.Change, "+0.##;-0.##")} g/dL — sensor placement changed?");
            }
        return new TrendPart(heat, flags.Distinct().ToList(), warnings, attention);
    }

    /// <summary>
    /// A flag as the coach reads it, with the number and the band of the test that raised it (docs/reading-flags.md):
    /// a pair's balance against its reference (dysbalance, or a level asymmetry outside the healthy range) with the
    /// balance's detectable difference, else the week's change against its baseline with the minimum detectable
    /// change. Never a value beside a band it does not exceed, as the chart's noise band (two standard errors) was.
    /// </summary>
    internal static string FlagText(MetricTrend series, WeeklyValue w)
    {
        var who = $"{Names.Short(series.Subject)}: {Names.Metric(series.Metric)}";
        var when = Names.Week(w.WeekStart);
        var lasting = w.DysbalanceWeeks > 1 ? $", {w.DysbalanceWeeks} weeks" : "";
        if (w.Dysbalance && w.Current is { } current && w.Reference is { } reference)
            return $"{who} {Names.Number(current, "0.#")} against {Names.Number(reference, "0.#")} in the reference, "
                + $"{Names.Number(current - reference, "+0.#;-0.#")} (dysbalance; detectable ±{Names.Number(w.StateMdc)}{lasting}, {when})";
        if (w.OutsideHealthyRange && w.Current is { } level)
            return $"{who} {Names.Number(level, "+0.#;-0.#")} (outside the healthy range of ±{Names.Number(new TrendOptions().HealthyAsymmetryPct)} % "
                + $"by more than its noise{lasting}, {when})";
        return $"{who} {Names.Number(w.Change, "+0.#;-0.#")} (change; detectable ±{Names.Number(w.Mdc ?? w.NoiseBand)}, {when})";
    }

    /// <summary>Data-quality warnings of a ride: channels with few valid samples, and the ride's own warning.</summary>
    internal static IReadOnlyList<string> Quality(string metricsJson, string? warning)
    {
        var result = new List<string>();
        if (warning is not null) result.Add(warning);
        try
        {
            using var doc = JsonDocument.Parse(metricsJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return result;
            foreach (var m in doc.RootElement.EnumerateArray())
            {
                if (!m.TryGetProperty("quality", out var q) || !q.TryGetProperty("validFraction", out var f) || f.ValueKind != JsonValueKind.Number) continue;
                var label = m.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.Object
                    ? Names.Channel(Str(c, "muscle"), Str(c, "side"), Str(c, "label"), c.TryGetProperty("sensor", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null)
                    : "a sensor";
                if (f.GetDouble() < 0.8)
                    result.Add(string.Create(CultureInfo.InvariantCulture, $"{label}: only {f.GetDouble() * 100:0} % valid samples in the latest ride"));
            }
        }
        catch (JsonException) { }
        return result;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
