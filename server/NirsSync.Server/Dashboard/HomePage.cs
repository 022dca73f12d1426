using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Dashboard;

/// <summary>
/// The team overview: every athlete of the coach against the last twelve weeks, a heat map of each pair's balance and
/// harmony, sorted by what needs attention first, with the latest ride and data-quality warnings. An athlete's own
/// sign-in goes straight to their athlete page.
/// </summary>
internal static class HomePage
{
    public static async Task<IResult> RenderAsync(HttpContext ctx, ClaimsPrincipal user, AccessControl access,
        NirsDbContext db, IAntiforgery antiforgery, Overview overview, TimeProvider clock, string? sort = null)
    {
        var viewer = Viewer.From(user)!;
        if (viewer.AthleteId is { } own) return Results.Redirect($"/dashboard/athletes/{own}");
        var watch = Stopwatch.StartNew();
        var rows = await overview.BuildAsync(db, access, viewer, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ctx.RequestAborted);
        rows = sort switch
        {
            "name" => [.. rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)],
            "latest" => [.. rows.OrderByDescending(r => r.LatestRide).ThenBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)],
            _ => [.. rows.OrderByDescending(r => r.Attention).ThenBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)],
        };
        var html = Render(rows);
        ctx.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"overview;dur={watch.Elapsed.TotalMilliseconds:0.00}");
        return Html.Page("Team overview", html, antiforgery: DashboardEndpoints.Token(ctx, antiforgery), who: user.FindFirstValue(ClaimTypes.Email));
    }

    internal static string Render(IReadOnlyList<OverviewRow> rows)
    {
        var html = new StringBuilder($"<h1>Team overview</h1>");
        if (rows.Count == 0) return html.Append("<p class=\"muted\">No athletes are linked to you yet.</p>").ToString();
        html.Append($"<p class=\"muted\">{rows.Count} athletes, last {Overview.Weeks} weeks. Each square is one week of a pair: orange when partner A's SmO2 P50 is above B's (B works harder), blue when below; the darker, the further the week's change leaves its noise band (1×, 2×); a red outline is a flagged week, a white dot a flag lasting three weeks or more (a state, not a change). Hover a square for its numbers.</p>");
        html.Append("<div class=\"legend\"><span><span class=\"c a0\"></span>within noise</span><span><span class=\"c p3\"></span>A higher, ≥2× noise</span><span><span class=\"c m3\"></span>A lower, ≥2× noise</span></div>");
        html.Append("<div class=\"scroll\"><table class=\"overview\"><thead><tr>")
            .Append("<th data-sort=\"name\"><a href=\"?sort=name\">Athlete</a></th><th data-sort=\"attention\"><a href=\"?sort=attention\">Attention</a></th>")
            .Append("<th>Balance and harmony per pair</th><th data-sort=\"latest\"><a href=\"?sort=latest\">Latest ride</a></th><th>Flags and warnings</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            var badge = r.Attention >= 2 ? "hot" : r.Attention > 0 ? "warm" : "calm";
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"athlete\" data-athlete=\"{r.Id}\" data-name=\"{Html.E(r.Name)}\" data-attention=\"{r.Attention:0.##}\" data-latest=\"{r.LatestRide?.ToUnixTimeSeconds() ?? 0}\">");
            html.Append($"<td class=\"athlete\"><a href=\"/dashboard/athletes/{r.Id}\">{Html.E(r.Name)}</a><div class=\"muted\">{r.Rides} rides</div></td>");
            html.Append(CultureInfo.InvariantCulture, $"<td><span class=\"badge {badge}\" title=\"sum of how far the last two weeks' flags leave their noise bands, plus data-quality warnings\">{r.Attention:0.#}</span></td>");
            html.Append("<td>").Append(Heat(r.Heat)).Append("</td>");
            html.Append(r.LatestRide is { } l && r.LatestRideId is { } rid
                ? $"<td><a href=\"/dashboard/rides/{rid}\">{l.UtcDateTime:yyyy-MM-dd}</a></td>" : "<td class=\"muted\">none</td>");
            html.Append("<td>");
            if (r.Flags.Count > 0)
            {
                html.Append("<ul class=\"flags\">");
                foreach (var f in r.Flags) html.Append($"<li>{Html.E(f)}</li>");
                html.Append("</ul>");
            }
            else html.Append("<span class=\"ok\">no flags</span>");
            if (r.Warnings.Count > 0)
            {
                html.Append("<ul class=\"warnings\">");
                foreach (var w in r.Warnings) html.Append($"<li>{Html.E(w)}</li>");
                html.Append("</ul>");
            }
            html.Append("</td></tr>");
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    private static string Heat(IReadOnlyList<HeatRow> rows)
    {
        if (rows.Count == 0) return "<span class=\"muted\">no partner muscles yet</span>";
        var html = new StringBuilder("<div class=\"heat\">");
        foreach (var row in rows)
        {
            var parts = row.Subject.Split('|');
            var a = parts.Length > 0 ? Names.Subject(parts[0]) : "A";
            var b = parts.Length > 1 ? Names.Subject(parts[1]) : "B";
            var label = row.Metric == "correlation" ? "harmony" : "balance";
            html.Append($"<span class=\"pair\" title=\"{Html.E(Names.Subject(row.Subject))}\">{Html.E(Names.Short(row.Subject))} {label}</span>");
            foreach (var c in row.Cells)
            {
                if (c.Value is not { } v) { html.Append($"<span class=\"c none\" title=\"{Names.Week(c.Week)}: no rides\"></span>"); continue; }
                var level = c.Beyond is not { } k ? 0 : k >= 2 ? 3 : k >= 1 ? 2 : k >= 0.5 ? 1 : 0;
                var positive = row.Metric == "correlation" ? (c.Change ?? 0) >= 0 : v >= 0;
                var cls = level == 0 ? "a0" : (positive ? "p" : "m") + level;
                var direction = row.Metric == "correlation"
                    ? $"correlation {Names.Number(v, "0.00")}"
                    : $"asymmetry {Names.Number(v, "+0.#;-0.#;0")} % ({(v >= 0 ? $"{a} higher: {b} works harder" : $"{a} lower: {a} works harder")})";
                var beyond = c.Beyond is { } x ? $"; change {Names.Number(c.Change, "+0.##;-0.##")} = {Names.Number(x, "0.0")}× the noise band ±{Names.Number(c.NoiseBand, "0.##")}" : "; no baseline yet";
                var state = c.Lasting ? "; lasting (3+ flagged weeks)" : c.Flag ? "; flagged: a change" : "";
                html.Append($"<span class=\"c {cls}{(c.Flag ? " flag" : "")}{(c.Lasting ? " lasting" : "")}\" data-metric=\"{row.Metric}\" data-week=\"{c.Week:yyyy-MM-dd}\" title=\"{Html.E($"{Names.Week(c.Week)}: {direction}{beyond}{state}")}\"></span>");
            }
        }
        return html.Append("</div>").ToString();
    }

    internal static string FlagList(TrendView trends, IReadOnlyList<DateOnly> weeks)
    {
        if (weeks.Count == 0) return "<p class=\"muted\">No weekly trends yet.</p>";
        var flags = trends.LatestFlags();
        if (flags.Count == 0) return $"<p class=\"ok\">No flags in {Names.Week(weeks[^1])}.</p>";
        var html = new StringBuilder($"<p>{flags.Count} flag(s) in {Names.Week(weeks[^1])}:</p><ul class=\"flags\">");
        foreach (var (series, week) in flags)
            html.Append($"<li>{Html.E(Names.Subject(series.Subject))}: {Html.E(Names.Metric(series.Metric))} {Names.Number(week.Change, "+0.#;-0.#")} against the baseline (noise band ±{Names.Number(week.NoiseBand)})</li>");
        return html.Append("</ul>").ToString();
    }
}
