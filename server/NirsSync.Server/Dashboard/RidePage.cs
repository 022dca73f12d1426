using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Dashboard;

/// <summary>One ride: SmO2 and tHb over time per muscle beside power, and the per-muscle and per-pair metrics.</summary>
internal static class RidePage
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];

    public static async Task<IResult> RenderAsync(Guid rideId, HttpContext ctx, ClaimsPrincipal user, AccessControl access,
        IAntiforgery antiforgery)
    {
        var ride = await access.VisibleRides(Viewer.From(user)!).FirstOrDefaultAsync(r => r.Id == rideId);
        if (ride is null) return Results.Problem(title: "Ride not found", detail: $"no ride {rideId} that you may see", statusCode: 404);
        var athlete = await access.VisibleAthletes(Viewer.From(user)!).Where(a => a.Id == ride.AthleteId).Select(a => a.Name).SingleAsync();
        var document = RideDocuments.Read(ride.Document);
        var series = RideDocuments.SeriesView(document);
        var html = new StringBuilder($"<h1>{Html.E(athlete)} · {ride.StartTime.UtcDateTime:yyyy-MM-dd HH:mm} UTC</h1>");
        html.Append($"<p><a href=\"/dashboard/athletes/{ride.AthleteId}\">← all rides and trends</a></p>");
        html.Append($"<p>{Names.Duration(ride.DurationSeconds)} · {ride.RecordCount} records · average power {Names.Number(ride.AveragePower, "0")} W</p>");
        if (ride.Warning is not null) html.Append($"<p class=\"error\">{Html.E(ride.Warning)}</p>");
        var x = series.Seconds.Select(s => (double)s).ToList();
        string Minutes(double s) => $"{s / 60:0}′";
        html.Append("<div class=\"ride-charts\">");
        html.Append(new SvgChart("Power", "W") { X = x, XLabel = Minutes, YMin = 0, Height = 170 }
            .Line(new ChartLine("power", "#555", series.Power)).Render());
        var smo2 = new SvgChart("SmO2 per muscle", "%") { X = x, XLabel = Minutes, Height = 240 };
        var thb = new SvgChart("tHb per muscle", "g/dL") { X = x, XLabel = Minutes, Height = 200 };
        for (var i = 0; i < series.Channels.Count; i++)
        {
            var c = series.Channels[i];
            smo2.Line(new ChartLine(c.Label, Palette[i % Palette.Length], c.Smo2));
            thb.Line(new ChartLine(c.Label, Palette[i % Palette.Length], c.Thb));
        }
        if (series.Channels.Count == 0) html.Append("<p class=\"muted\">No muscle-oxygen channel in this ride.</p>");
        else html.Append(smo2.Render()).Append(thb.Render());
        html.Append("</div>");
        html.Append(RideTables.Channels(document.Metrics)).Append(RideTables.Pairs(document.Pairs));
        return Html.Page("Ride", html.ToString(), antiforgery: DashboardEndpoints.Token(ctx, antiforgery));
    }
}
