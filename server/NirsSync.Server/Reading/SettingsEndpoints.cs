using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Accounts;
using NirsSync.Server.Auth;
using NirsSync.Server.Data;
using NirsSync.Server.Jobs;

namespace NirsSync.Server.Reading;

public sealed record SettingsDto(Guid AthleteId, string TimeZone);

/// <summary>The body of <c>PUT /api/athletes/{id}/settings</c>.</summary>
public sealed record SettingsChange(string? TimeZone);

/// <summary>An athlete's settings (the time zone of their weekly trends); a new zone recomputes the trends.</summary>
public static class SettingsEndpoints
{
    public static IEndpointRouteBuilder MapSettings(this IEndpointRouteBuilder app)
    {
        var route = "/api/athletes/{athleteId:guid}/settings";
        app.MapGet(route, GetAsync).WithTags("Athletes");
        app.MapPut(route, PutAsync).WithTags("Athletes").DisableAntiforgery()
            .Accepts<SettingsChange>("application/json")
            .WithSummary("Set the IANA time zone whose ISO weeks the weekly trends use; the trends are recomputed");
        return app;
    }

    internal static async Task<Results<Ok<SettingsDto>, ProblemHttpResult>> GetAsync(Guid athleteId, ClaimsPrincipal user,
        AccessControl access)
    {
        var zone = await access.VisibleAthletes(Viewer.From(user)!).Where(a => a.Id == athleteId)
            .Select(a => a.TimeZone).FirstOrDefaultAsync();
        return zone is null ? Problems.AthleteNotFound(athleteId) : TypedResults.Ok(new SettingsDto(athleteId, zone));
    }

    internal static async Task<Results<Ok<SettingsDto>, ProblemHttpResult>> PutAsync(Guid athleteId,
        HttpRequest request, ClaimsPrincipal user, AccessControl access, NirsDbContext db, WriteGate gate,
        TrendScheduler trends)
    {
        if (!await access.CanSeeAthleteAsync(Viewer.From(user)!, athleteId)) return Problems.AthleteNotFound(athleteId);
        var (change, malformed) = await JsonBody.ReadAsync<SettingsChange>(request);
        if (malformed is not null) return malformed;
        if (change is null) return Problems.Invalid("the body must be a JSON object {\"timeZone\": \"Europe/Berlin\"}");
        if (AthleteTimeZones.Validate(change.TimeZone) is { } error) return Problems.Invalid(error);
        var zone = change.TimeZone!;
        var changed = await gate.RunAsync(async () =>
        {
            // The version bump marks the stored trends stale in the same write, so a crash before the
            // trend job runs is repaired at the next start.
            var rows = await db.Athletes.Where(a => a.Id == athleteId && a.TimeZone != zone)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.TimeZone, zone)
                    .SetProperty(a => a.RideVersion, a => a.RideVersion + 1));
            return rows > 0;
        }, upload: false);
        if (changed) trends.Request(athleteId);
        return TypedResults.Ok(new SettingsDto(athleteId, zone));
    }
}
