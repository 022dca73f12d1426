using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Http;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Athletes;

public sealed record HealthyPeriodsDto(Guid AthleteId, IReadOnlyList<HealthyPeriodEntry> Periods);

/// <summary>
/// The periods the coach marks as healthy: each pair's balance is compared with its balance in them (else with the
/// first weeks on record). A change marks the trends stale in the same write and recomputes them.
/// </summary>
public static class HealthyPeriodEndpoints
{
    internal static void Map(RouteGroupBuilder athlete)
    {
        const string route = "/healthy-periods";
        athlete.MapGet(route, Get).WithTags("Athletes");
        athlete.MapPut(route, PutAsync).WithTags("Athletes").DisableAntiforgery()
            .CoachOnly("an upload token may not change the healthy periods: sign in as the athlete's coach").ProducesProblem(StatusCodes.Status403Forbidden)
            .Accepts<List<HealthyPeriodEntry>>("application/json")
            .WithSummary("Replace the healthy periods [{from, to, subject?}] that pair balance is compared with; the trends are recomputed");
    }

    internal static Ok<HealthyPeriodsDto> Get(AthleteInScope athlete) =>
        TypedResults.Ok(new HealthyPeriodsDto(athlete.Row.Id, HealthyPeriods.Parse(athlete.Row.HealthyPeriodsJson)));

    internal static async Task<Results<Ok<HealthyPeriodsDto>, ProblemHttpResult>> PutAsync(Guid athleteId, HttpRequest request,
        NirsDbContext db, WriteGate gate, TrendScheduler trends)
    {
        var (entries, malformed) = await JsonBody.ReadAsync<List<HealthyPeriodEntry?>>(request);
        if (malformed is not null) return malformed;
        if (HealthyPeriods.Validate(entries) is { } error) return Problems.Invalid(error);
        var json = HealthyPeriods.Serialize(entries!.Select(e => e!));
        var changed = await gate.RunAsync(() => db.Athletes.Where(a => a.Id == athleteId && a.HealthyPeriodsJson != json)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.HealthyPeriodsJson, json)
                .SetProperty(a => a.RideVersion, a => a.RideVersion + 1)), upload: false);
        if (changed > 0) await trends.RequestAsync(athleteId);
        return TypedResults.Ok(new HealthyPeriodsDto(athleteId, HealthyPeriods.Parse(json)));
    }
}
