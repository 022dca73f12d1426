using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Rides;

namespace NirsSync.Server.Dashboard;

/// <summary>One athlete: weekly trend charts per muscle and per pair, and the ride list.</summary>
internal static class AthletePage
{
    public static async Task<IResult> RenderAsync(Guid athleteId, HttpContext ctx, ClaimsPrincipal user,
        AccessControl access, NirsDbContext db, IAntiforgery antiforgery)
    {
        var athlete = await access.VisibleAthletes(Viewer.From(user)!).FirstOrDefaultAsync(a => a.Id == athleteId);
        if (athlete is null) return Results.Problem(title: "Athlete not found", detail: $"no athlete {athleteId} that you may see", statusCode: 404);
        var trends = TrendView.Parse(athlete.TrendsJson);
        var weeks = trends.AllWeeks();
        var html = new StringBuilder($"<h1>{Html.E(athlete.Name)}</h1>");
        html.Append(HomePage.FlagList(trends, weeks));
        html.Append($"<p class=\"muted\">Export: <a href=\"/api/athletes/{athleteId}/rides.csv\">rides.csv</a> · <a href=\"/api/athletes/{athleteId}/trends.csv\">trends.csv</a></p>");
        html.Append("<h2>Muscles</h2>");
        var muscles = trends.Muscles.Select(s => s.Subject).Distinct().ToList();
        if (muscles.Count == 0) html.Append("<p class=\"muted\">No muscle-oxygen trends yet.</p>");
        foreach (var subject in muscles)
        {
            html.Append($"<h3>{Html.E(Names.Subject(subject))}</h3><div class=\"charts\" data-subject=\"{Html.E(subject)}\">");
            html.Append(SmO2Chart(trends, subject, weeks)).Append(SimpleChart(trends, subject, "functional_range", "Functional range (P95 - P5)", "%", "#2ca02c", weeks))
                .Append(SimpleChart(trends, subject, "thb_p50", "tHb P50", "g/dL", "#9467bd", weeks));
            html.Append("</div>");
        }
        html.Append("<h2>Pairs</h2>");
        var pairs = trends.Pairs.Select(s => s.Subject).Distinct().ToList();
        if (pairs.Count == 0) html.Append("<p class=\"muted\">No partner muscles recorded together yet.</p>");
        foreach (var subject in pairs)
            html.Append($"<h3>{Html.E(Names.Subject(subject))}</h3><div class=\"charts\" data-subject=\"{Html.E(subject)}\">")
                .Append(AsymmetryChart(trends, subject, weeks)).Append("</div>");
        html.Append(await RideTableAsync(db, athleteId));
        return Html.Page(athlete.Name, html.ToString(), antiforgery: DashboardEndpoints.Token(ctx, antiforgery));
    }

    private static SvgChart Base(string title, string unit, IReadOnlyList<DateOnly> weeks, double? min = null, double? max = null) =>
        new(title, unit)
        {
            X = Enumerable.Range(0, weeks.Count).Select(i => (double)i).ToList(),
            XLabel = x => Names.Week(weeks[(int)x]),
            YMin = min,
            YMax = max,
        };

    private static string SmO2Chart(TrendView t, string subject, IReadOnlyList<DateOnly> weeks)
    {
        var chart = Base("SmO2 P5-P95 and P50", "%", weeks)
            .Band(new ChartBand("P5-P95", "#1f77b4", TrendView.Align(t.Find(subject, "smo2_p5"), weeks, w => w.Value),
                TrendView.Align(t.Find(subject, "smo2_p95"), weeks, w => w.Value)))
            .Line(new ChartLine("P50", "#1f77b4", TrendView.Align(t.Find(subject, "smo2_p50"), weeks, w => w.Value), Markers: true));
        AddFlags(chart, t, subject, ["smo2_p5", "smo2_p50", "smo2_p95"], weeks);
        return chart.Render();
    }

    private static string SimpleChart(TrendView t, string subject, string metric, string title, string unit, string color,
        IReadOnlyList<DateOnly> weeks)
    {
        var chart = Base(title, unit, weeks)
            .Line(new ChartLine(Names.Metric(metric), color, TrendView.Align(t.Find(subject, metric), weeks, w => w.Value), Markers: true));
        AddFlags(chart, t, subject, [metric], weeks);
        return chart.Render();
    }

    private static string AsymmetryChart(TrendView t, string subject, IReadOnlyList<DateOnly> weeks)
    {
        var series = t.Find(subject, "asymmetry_p50");
        var chart = new SvgChart("Asymmetry of SmO2 P50 (A - B) / mean", "%")
            {
                X = Enumerable.Range(0, weeks.Count).Select(i => (double)i).ToList(),
                XLabel = x => Names.Week(weeks[(int)x]),
                ReferenceY = 0,
            }
            .Band(new ChartBand("noise band", "#ff7f0e",
                TrendView.Align(series, weeks, w => w.Baseline - w.NoiseBand), TrendView.Align(series, weeks, w => w.Baseline + w.NoiseBand)))
            .Line(new ChartLine("asymmetry", "#d62728", TrendView.Align(series, weeks, w => w.Value), Markers: true))
            .Line(new ChartLine("baseline", "#ff7f0e", TrendView.Align(series, weeks, w => w.Baseline), Dashed: true));
        AddFlags(chart, t, subject, ["asymmetry_p50"], weeks);
        return chart.Render();
    }

    private static void AddFlags(SvgChart chart, TrendView t, string subject, IEnumerable<string> metrics, IReadOnlyList<DateOnly> weeks)
    {
        foreach (var metric in metrics)
            if (t.Find(subject, metric) is { } s)
                foreach (var w in s.Weeks.Where(w => w.Flag))
                    chart.Flag(weeks.ToList().IndexOf(w.WeekStart), w.Value,
                        $"{Names.Week(w.WeekStart)}: {Names.Metric(metric)} {Names.Number(w.Change, "+0.#;-0.#")} beyond ±{Names.Number(w.NoiseBand)}");
    }

    private static async Task<string> RideTableAsync(NirsDbContext db, Guid athleteId)
    {
        var rides = await RideEndpoints.Summaries(db, athleteId);
        var html = new StringBuilder($"<h2>Rides ({rides.Count})</h2><div class=\"scroll\"><table class=\"rides\"><tr><th>Start (UTC)</th><th>Duration</th><th>Avg power</th><th></th></tr>");
        foreach (var r in rides)
            html.Append($"<tr><td><a href=\"/dashboard/rides/{r.Id}\">{r.StartTime.UtcDateTime:yyyy-MM-dd HH:mm}</a></td><td>{Names.Duration(r.DurationSeconds)}</td><td>{Names.Number(r.AveragePower, "0")} W</td><td class=\"muted\">{Html.E(r.Warning)}</td></tr>");
        return html.Append("</table></div>").ToString();
    }
}
