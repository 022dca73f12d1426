using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Server.Http;

namespace NirsSync.Server.Exports;

/// <summary>CSV exports of an athlete's rides and weekly trends.</summary>
public static class ExportEndpoints
{
    public static RouteGroupBuilder MapExports(this RouteGroupBuilder athlete)
    {
        athlete.MapGet("/rides.csv", RidesAsync).WithTags("Export")
            .WithSummary("One line per ride and muscle: timing, power and the muscle's SmO2/tHb metrics");
        athlete.MapGet("/trends.csv", TrendsAsync).WithTags("Export")
            .WithSummary("One line per week and muscle or pair");
        return athlete;
    }

    internal static async Task<ContentHttpResult> RidesAsync(Guid athleteId, NirsDbContext db)
    {
        var rides = await db.Rides.AsNoTracking().Where(r => r.AthleteId == athleteId).OrderBy(r => r.StartTime).ToListAsync();
        return TypedResults.Text(CsvExports.Rides(rides), "text/csv; charset=utf-8");
    }

    internal static ContentHttpResult TrendsAsync(AthleteInScope athlete) =>
        TypedResults.Text(CsvExports.Trends(athlete.Row.TrendsJson), "text/csv; charset=utf-8");
}
