using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data.Accounts;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Server.Http;

namespace NirsSync.Server.Athletes;

public sealed record AthleteDto(Guid Id, string Name, int Rides, DateTimeOffset? LatestRide, DateTimeOffset? TrendsUpdatedAt,
    string TimeZone);

/// <summary>Athletes visible to the viewer; an athlete's settings, sensor map and pairs are mapped from here into the athlete group.</summary>
public static class AthleteEndpoints
{
    /// <summary>The athletes list, one athlete, and (in the athlete group) the athlete's settings, sensor map and pairs.</summary>
    public static IEndpointRouteBuilder MapAthletes(this IEndpointRouteBuilder app, RouteGroupBuilder athlete)
    {
        app.MapGet("/api/athletes", ListAsync).WithTags("Athletes").WithSummary("A coach's linked athletes, or the token's own athlete");
        athlete.MapGet("", GetAsync).WithTags("Athletes");
        SettingsEndpoints.Map(athlete);
        SensorMapEndpoints.Map(athlete);
        CoachPairEndpoints.Map(athlete);
        HealthyPeriodEndpoints.Map(athlete);
        InviteEndpoints.Map(athlete);
        return app;
    }

    internal static async Task<Ok<List<AthleteDto>>> ListAsync(ClaimsPrincipal user, AccessControl access, NirsDbContext db) =>
        TypedResults.Ok(await Project(access.VisibleAthletes(Viewer.From(user)!), db).ToListAsync());

    internal static async Task<Ok<AthleteDto>> GetAsync(Guid athleteId, NirsDbContext db) =>
        TypedResults.Ok(await Project(db.Athletes.AsNoTracking().Where(a => a.Id == athleteId), db).FirstAsync());

    private static IQueryable<AthleteDto> Project(IQueryable<Athlete> athletes, NirsDbContext db) =>
        athletes.OrderBy(a => a.Name).Select(a => new AthleteDto(a.Id, a.Name,
            db.Rides.Count(r => r.AthleteId == a.Id),
            db.Rides.Where(r => r.AthleteId == a.Id).Max(r => (DateTimeOffset?)r.StartTime),
            a.TrendsUpdatedAt, a.TimeZone));
}
