using System.Security.Claims;
using NirsSync.Data.Documents;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;

namespace NirsSync.Server.Dashboard;

/// <summary>
/// One ride: power, SmO2 and tHb per muscle and the partners' SmO2 difference on one time axis with laps and efforts
/// shaded (drawn by wwwroot/assets/dashboard.js from <c>GET /api/rides/{id}</c>), the per-effort table and the per-muscle
/// and per-pair metrics.
/// </summary>
internal static class RidePage
{
    public static async Task<IResult> RenderAsync(Guid rideId, HttpContext ctx, ClaimsPrincipal user, AccessControl access,
        IAntiforgery antiforgery)
    {
        var viewer = Viewer.From(user)!;
        var ride = await access.VisibleRides(viewer).FirstOrDefaultAsync(r => r.Id == rideId);
        if (ride is null) return Results.Problem(title: "Ride not found", detail: $"no ride {rideId} that you may see", statusCode: 404);
        var athlete = await access.VisibleAthletes(viewer).Where(a => a.Id == ride.AthleteId).Select(a => a.Name).SingleAsync();
        var document = RideDocuments.Read(ride.Document);
        var (kind, muscles) = AthletePage.Describe(ride.DurationSeconds, document);
        var html = new StringBuilder($"<p><a href=\"/dashboard/athletes/{ride.AthleteId}\">← {Html.E(athlete)}: all rides and trends</a></p>");
        html.Append($"<h1>{Html.E(athlete)} · {ride.StartTime.UtcDateTime:yyyy-MM-dd HH:mm} UTC</h1>");
        html.Append($"<p>{Html.E(kind)} · {Names.RideDuration(ride.DurationSeconds, ride.RecordCount)} · average power {Names.Number(ride.AveragePower, "0")} W · {Html.E(muscles)} · {ride.RecordCount} records</p>");
        if (ride.Warning is not null) html.Append($"<p class=\"error\">{Html.E(ride.Warning)}</p>");
        html.Append($"<section class=\"ride-charts\" data-ride=\"{ride.Id}\">");
        html.Append("<p class=\"muted\">Efforts are shaded red, laps start at the dashed lines. Hover for values, drag across a chart to zoom (all charts follow), double-click or <button class=\"zoom\" data-reset=\"1\">show the whole ride</button>. Tick a muscle off to hide it.</p>");
        html.Append("<div class=\"toggles\" aria-label=\"muscles shown\"></div>");
        html.Append(Chart("power", "Power")).Append(Chart("smo2", "SmO2 per muscle")).Append(Chart("thb", "tHb per muscle"))
            .Append(Chart("difference", "SmO2 difference between partners"));
        html.Append("</section>");
        html.Append(RideTables.Efforts(document));
        html.Append(RideTables.Channels(document.Metrics)).Append(RideTables.Pairs(document.Pairs));
        return Html.Page("Ride", html.ToString(), antiforgery: DashboardEndpoints.Token(ctx, antiforgery), who: user.FindFirstValue(ClaimTypes.Email));
    }

    private static string Chart(string kind, string title) =>
        $"<div class=\"chart\" data-kind=\"{kind}\"><div class=\"title\">{Html.E(title)}</div><p class=\"muted\">loading…</p></div>";
}
