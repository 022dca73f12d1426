using System.Security.Claims;
using NirsSync.Analysis;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Dashboard;

/// <summary>
/// One athlete: weekly trend charts per muscle and per pair (drawn by wwwroot/assets/dashboard.js from
/// <c>GET /api/athletes/{id}/trends</c>) and the rides with what kind of ride each was.
/// </summary>
internal static class AthletePage
{
    public static async Task<IResult> RenderAsync(Guid athleteId, HttpContext ctx, ClaimsPrincipal user,
        AccessControl access, NirsDbContext db, IAntiforgery antiforgery)
    {
        var viewer = Viewer.From(user)!;
        var athlete = await access.VisibleAthletes(viewer).FirstOrDefaultAsync(a => a.Id == athleteId);
        if (athlete is null) return Results.Problem(title: "Athlete not found", detail: $"no athlete {athleteId} that you may see", statusCode: 404);
        var trends = TrendView.Parse(athlete.TrendsJson);
        var weeks = trends.AllWeeks();
        var html = new StringBuilder();
        if (!viewer.IsAthlete) html.Append("<p><a href=\"/dashboard\">← team overview</a></p>");
        html.Append($"<h1>{Html.E(athlete.Name)}</h1>");
        html.Append(HomePage.FlagList(trends, weeks));
        html.Append($"<p class=\"muted\">Export: <a href=\"/api/athletes/{athleteId}/rides.csv\">rides.csv</a> · <a href=\"/api/athletes/{athleteId}/trends.csv\">trends.csv</a></p>");
        html.Append($"<div data-athlete-trends data-athlete=\"{athleteId}\">");
        html.Append("<p class=\"muted\">Weekly means with their spread (grey, ±1 SD of the week's rides), the baseline of the previous weeks (dashed) and its noise band (orange); red dots are weeks beyond the noise band, and a flagged week of the muscle or pair is shaded red. Purple lines are sensor placements (muscle and note), green triangles resting spot checks of that muscle. Hover for values, drag to zoom, double-click to reset.</p>");
        html.Append("<h2>Muscles</h2>");
        var muscles = trends.Muscles.Select(s => s.Subject).Distinct().ToList();
        if (muscles.Count == 0) html.Append("<p class=\"muted\">No muscle-oxygen trends yet.</p>");
        foreach (var subject in muscles)
            html.Append($"<h3>{Html.E(Names.Subject(subject))}</h3><div class=\"charts\" data-subject=\"{Html.E(subject)}\">")
                .Append(Chart("smo2", "SmO2 P5–P95 and P50")).Append(Chart("functional_range", "Functional range (P95 − P5)"))
                .Append(Chart("thb_p50", "tHb P50")).Append("</div>");
        html.Append("<h2>Pairs</h2>");
        var pairs = trends.Pairs.Select(s => s.Subject).Distinct().ToList();
        if (pairs.Count == 0) html.Append("<p class=\"muted\">No partner muscles recorded together yet.</p>");
        foreach (var subject in pairs)
        {
            html.Append($"<h3>{Html.E(Names.Subject(subject))}</h3><div class=\"charts\" data-subject=\"{Html.E(subject)}\">")
                .Append(Chart("asymmetry_p50", "Balance: asymmetry of SmO2 P50, 100 (A − B) / mean"));
            if (trends.Find(subject, "correlation") is not null) html.Append(Chart("correlation", "Harmony: correlation of the partners"));
            html.Append("</div>");
        }
        html.Append("</div>");
        html.Append(Placements(NirsSync.Data.Documents.SensorMap.Placements(NirsSync.Data.Documents.SensorMap.Parse(athlete.SensorMapJson))));
        html.Append($"<section class=\"spot-checks\" data-spot-checks data-athlete=\"{athleteId}\"><h2>Resting spot checks</h2><p class=\"muted\">loading…</p></section>");
        if (!viewer.IsAthlete) html.Append(await InviteAsync(db, athleteId, athlete.Name));
        html.Append(await RideTableAsync(db, athleteId));
        return Html.Page(athlete.Name, html.ToString(), antiforgery: DashboardEndpoints.Token(ctx, antiforgery), who: user.FindFirstValue(ClaimTypes.Email));
    }

    /// <summary>The sensor placements of the map (dated entries): listed, and read by the charts as markers on the time axis.</summary>
    private static string Placements(IReadOnlyList<NirsSync.Analysis.PlacementPeriod> placements)
    {
        if (placements.Count == 0) return "";
        var html = new StringBuilder("<h2>Sensor placements</h2><ul class=\"placements\">");
        foreach (var p in placements.OrderBy(p => p.From))
            html.Append($"<li data-subject=\"{Html.E(p.Subject)}\" data-from=\"{p.From.ToUnixTimeSeconds()}\" data-label=\"{Html.E(Names.Short(p.Subject))}: {Html.E(p.Note)}\">")
                .Append($"<strong>{Html.E(Names.Subject(p.Subject))}</strong> from {p.From.UtcDateTime:yyyy-MM-dd}")
                .Append(p.To is { } to ? $" to {to.UtcDateTime:yyyy-MM-dd}" : " on")
                .Append(string.IsNullOrWhiteSpace(p.Note) ? "" : $": {Html.E(p.Note)}").Append("</li>");
        return html.Append("</ul>").ToString();
    }

    /// <summary>The coach's "Invite rider" button (the link is made by POST /api/athletes/{id}/invites), unless the rider signs in already.</summary>
    private static async Task<string> InviteAsync(NirsDbContext db, Guid athleteId, string name)
    {
        if (await AthleteInvites.HasSignInAsync(db, athleteId))
            return $"<p class=\"muted invite\">{Html.E(name)} signs in with their own email and password.</p>";
        return $"<section class=\"invite\" data-invite=\"{athleteId}\"><h2>Rider's own sign-in</h2><p class=\"muted\">{Html.E(name)} has no sign-in yet. An invite is a link for the rider to choose an email and password; it works once, for 7 days, and a new one replaces the last.</p><button type=\"button\" class=\"invite-rider\">Invite rider</button><div class=\"invite-link\" hidden><label>Link to send to the rider<input type=\"text\" readonly></label><button type=\"button\" class=\"copy\">Copy</button> <span class=\"muted expires\"></span></div></section>";
    }

    private static string Chart(string kind, string title) =>
        $"<div class=\"chart\" data-kind=\"{kind}\" data-title=\"{Html.E(title)}\"><div class=\"title\">{Html.E(title)}</div><p class=\"muted\">loading…</p></div>";

    private static async Task<string> RideTableAsync(NirsDbContext db, Guid athleteId)
    {
        var rides = await db.Rides.AsNoTracking().Where(r => r.AthleteId == athleteId).OrderByDescending(r => r.StartTime)
            .Select(r => new { r.Id, r.StartTime, r.DurationSeconds, r.RecordCount, r.AveragePower, r.Warning, r.Document })
            .ToListAsync();
        var html = new StringBuilder($"<h2>Rides ({rides.Count})</h2><div class=\"scroll\"><table class=\"rides\"><thead><tr><th>Start (UTC)</th><th>Type</th><th class=\"num\">Duration</th><th class=\"num\">Avg power</th><th class=\"hide-phone\">Muscles</th><th class=\"hide-phone\"></th></tr></thead><tbody>");
        foreach (var r in rides)
        {
            var (kind, muscles) = Describe(r.DurationSeconds, RideDocuments.Read(r.Document));
            html.Append($"<tr><td><a href=\"/dashboard/rides/{r.Id}\">{r.StartTime.UtcDateTime:yyyy-MM-dd HH:mm}</a></td><td>{Html.E(kind)}</td><td class=\"num\">{Names.RideDuration(r.DurationSeconds, r.RecordCount)}</td><td class=\"num\">{Names.Number(r.AveragePower, "0")} W</td><td class=\"hide-phone\">{Html.E(muscles)}</td><td class=\"muted hide-phone\">{Html.E(r.Warning)}</td></tr>");
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    /// <summary>
    /// What kind of ride it looks like, from the efforts the analysis found in power (first channel) and duration: an effort of
    /// 15 min or more is a test, several of one length intervals, many short ones a race, none endurance.
    /// </summary>
    internal static (string Kind, string Muscles) Describe(double durationSeconds, RideDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var channelsJson = JsonSerializer.Serialize(document.Channels, AnalysisJson.Options);
        var metricsJson = JsonSerializer.Serialize(document.Metrics, AnalysisJson.Options);
        var muscles = new List<string>();
        try
        {
            using var channels = JsonDocument.Parse(channelsJson);
            if (channels.RootElement.ValueKind == JsonValueKind.Array)
                foreach (var c in channels.RootElement.EnumerateArray())
                {
                    var muscle = c.TryGetProperty("muscle", out var m) ? m.GetString() : null;
                    var side = c.TryGetProperty("side", out var s) ? s.GetString() : null;
                    if (muscle is null) continue;
                    var name = $"{Abbreviation(muscle)}{(side is "left" ? " L" : side is "right" ? " R" : "")}";
                    if (!muscles.Contains(name)) muscles.Add(name);
                }
        }
        catch (JsonException) { }
        var efforts = EffortDurations(metricsJson);
        string kind;
        var sorted = efforts.Order().ToList();
        if (efforts.Count == 0) kind = "endurance";
        else if (sorted[^1] >= 900) kind = $"test ({Names.Duration(sorted[^1])} effort)";
        else if (efforts.Count >= 3 && sorted[^1] - sorted[0] <= 0.25 * efforts.Average()) kind = $"intervals {efforts.Count}×{Names.Duration(efforts.Average())}";
        else if (efforts.Count >= 6 && sorted[efforts.Count / 2] < 180) kind = "race / group ride";
        else if (durationSeconds >= 7200) kind = $"long ride, {efforts.Count} effort(s)";
        else kind = $"endurance + {efforts.Count} effort(s)";
        return (kind, string.Join(", ", muscles));
    }

    private static List<double> EffortDurations(string metricsJson)
    {
        var result = new List<double>();
        try
        {
            using var doc = JsonDocument.Parse(metricsJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return result;
            var first = doc.RootElement.EnumerateArray().FirstOrDefault();
            if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("efforts", out var efforts) && efforts.ValueKind == JsonValueKind.Array)
                foreach (var e in efforts.EnumerateArray())
                    if (e.TryGetProperty("durationS", out var d) && d.ValueKind == JsonValueKind.Number) result.Add(d.GetDouble());
        }
        catch (JsonException) { }
        return result;
    }

    private static string Abbreviation(string muscle) => muscle switch
    {
        "vastus_lateralis" => "VL",
        "vastus_medialis" => "VM",
        "rectus_femoris" => "RF",
        "gastrocnemius_medial_head" => "GM",
        "gastrocnemius_lateral_head" => "GL",
        "tibialis_anterior" => "TA",
        "biceps_femoris" => "BF",
        "gluteus_maximus" => "GMax",
        _ => muscle.Replace('_', ' '),
    };
}
