using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Server.Data;

namespace NirsSync.Server.Reading;

/// <summary>CSV exports of an athlete's rides and weekly trends.</summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/athletes/{athleteId:guid}/rides.csv", RidesAsync).WithTags("Export")
            .WithSummary("One line per ride and muscle: timing, power and the muscle's SmO2/tHb metrics");
        app.MapGet("/api/athletes/{athleteId:guid}/trends.csv", TrendsAsync).WithTags("Export")
            .WithSummary("One line per week and muscle or pair");
        return app;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> RidesAsync(Guid athleteId,
        ClaimsPrincipal user, AccessControl access, NirsDbContext db)
    {
        if (!await access.CanSeeAthleteAsync(Viewer.From(user)!, athleteId)) return Problems.AthleteNotFound(athleteId);
        var rides = await db.Rides.AsNoTracking().Where(r => r.AthleteId == athleteId).OrderBy(r => r.StartTime).ToListAsync();
        return TypedResults.Text(CsvExports.Rides(rides), "text/csv; charset=utf-8");
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> TrendsAsync(Guid athleteId,
        ClaimsPrincipal user, AccessControl access)
    {
        var athlete = await access.VisibleAthletes(Viewer.From(user)!).FirstOrDefaultAsync(a => a.Id == athleteId);
        if (athlete is null) return Problems.AthleteNotFound(athleteId);
        return TypedResults.Text(CsvExports.Trends(athlete.TrendsJson), "text/csv; charset=utf-8");
    }
}
