using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data.Accounts;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Http;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Athletes;

public sealed record SettingsDto(Guid AthleteId, string TimeZone);

/// <summary>The body of <c>PUT /api/athletes/{id}/settings</c>.</summary>
public sealed record SettingsChange(string? TimeZone);

/// <summary>An athlete's settings (the time zone of their weekly trends); a new zone recomputes the trends.</summary>
public static class SettingsEndpoints
{
    internal static void Map(RouteGroupBuilder athlete)
    {
        const string route = "/settings";
        athlete.MapGet(route, GetAsync).WithTags("Athletes");
        athlete.MapPut(route, PutAsync).WithTags("Athletes").DisableAntiforgery()
            .CoachOnly("an upload token may not change the time zone: sign in as the athlete's coach").ProducesProblem(StatusCodes.Status403Forbidden)
            .Accepts<SettingsChange>("application/json")
            .WithSummary("Set the IANA time zone whose ISO weeks the weekly trends use; the trends are recomputed");
    }

    internal static Ok<SettingsDto> GetAsync(AthleteInScope athlete) =>
        TypedResults.Ok(new SettingsDto(athlete.Row.Id, athlete.Row.TimeZone));

    internal static async Task<Results<Ok<SettingsDto>, ProblemHttpResult>> PutAsync(Guid athleteId,
        HttpRequest request, NirsDbContext db, WriteGate gate, TrendScheduler trends)
    {
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
            // A ride's week is its ISO week in the athlete's zone, as the trends count it.
            if (rows > 0) await RideWeeks.RecomputeAsync(db, athleteId);
            return rows > 0;
        }, upload: false);
        if (changed) await trends.RequestAsync(athleteId);
        return TypedResults.Ok(new SettingsDto(athleteId, zone));
    }
}
