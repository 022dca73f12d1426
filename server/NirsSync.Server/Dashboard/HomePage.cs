using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Dashboard;

/// <summary>The coach's athletes, each with the flags of its latest week.</summary>
internal static class HomePage
{
    public static async Task<IResult> RenderAsync(HttpContext ctx, ClaimsPrincipal user, AccessControl access,
        NirsDbContext db, IAntiforgery antiforgery)
    {
        var athletes = await access.VisibleAthletes(Viewer.From(user)!).OrderBy(a => a.Name)
            .Select(a => new
            {
                a.Id, a.Name, a.TrendsJson,
                Rides = db.Rides.Count(r => r.AthleteId == a.Id),
                Latest = db.Rides.Where(r => r.AthleteId == a.Id).Max(r => (DateTimeOffset?)r.StartTime),
            }).ToListAsync();
        var html = new StringBuilder("<h1>Athletes</h1><div class=\"cards\">");
        if (athletes.Count == 0) html.Append("<p class=\"muted\">No athletes are linked to you yet.</p>");
        foreach (var a in athletes)
        {
            var trends = TrendView.Parse(a.TrendsJson);
            var weeks = trends.AllWeeks();
            html.Append($"<section class=\"card athlete\" data-athlete=\"{a.Id}\"><a href=\"/dashboard/athletes/{a.Id}\">{Html.E(a.Name)}</a>");
            html.Append($"<div class=\"muted\">{a.Rides} rides{(a.Latest is { } l ? $", latest {l.UtcDateTime:yyyy-MM-dd}" : "")}</div>");
            html.Append(FlagList(trends, weeks));
            html.Append("</section>");
        }
        html.Append("</div>");
        return Html.Page("Athletes", html.ToString(), antiforgery: DashboardEndpoints.Token(ctx, antiforgery));
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
