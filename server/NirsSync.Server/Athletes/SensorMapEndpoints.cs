using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Http;
using NirsSync.Server.Ingest;

namespace NirsSync.Server.Athletes;

public sealed record SensorMapDto(Guid AthleteId, IReadOnlyList<SensorMapEntry> Sensors);

public sealed record SensorMapChangedDto(Guid AthleteId, IReadOnlyList<SensorMapEntry> Sensors, IReadOnlyList<int> ChangedDevices);

/// <summary>GET and PUT an athlete's sensor-to-muscle map; a change re-analyzes the rides it affects.</summary>
public static class SensorMapEndpoints
{
    internal static void Map(RouteGroupBuilder athlete)
    {
        const string route = "/sensor-map";
        athlete.MapGet(route, GetAsync).WithTags("Sensor map");
        athlete.MapPut(route, PutAsync).WithTags("Sensor map").DisableAntiforgery()
            .CoachOnly("an upload token may not change the sensor map: sign in as the athlete's coach").ProducesProblem(StatusCodes.Status403Forbidden)
            .Accepts<List<SensorMapEntry>>("application/json")
            .WithSummary("Replace the map: [{device, muscle, side, from?, to?, note?}]; rides using changed sensors are re-analyzed, a dated entry is a placement that starts a new trend baseline");
    }

    internal static Ok<SensorMapDto> GetAsync(AthleteInScope athlete) =>
        TypedResults.Ok(new SensorMapDto(athlete.Row.Id, SensorMap.Parse(athlete.Row.SensorMapJson)));

    internal static async Task<Results<Ok<SensorMapChangedDto>, ProblemHttpResult>> PutAsync(Guid athleteId,
        HttpRequest request, NirsDbContext db, WriteGate gate, ReanalysisRequests reanalysis, Trends.TrendScheduler trends)
    {
        var (entries, malformed) = await JsonBody.ReadAsync<List<SensorMapEntry>>(request);
        if (malformed is not null) return malformed;
        if (SensorMap.Validate(entries) is { } error) return Problems.Invalid(error);
        var due = reanalysis.DueAt();
        var changed = await gate.RunAsync(async () =>
        {
            var athlete = await db.Athletes.SingleAsync(a => a.Id == athleteId);
            var diff = SensorMap.Changed(SensorMap.Parse(athlete.SensorMapJson), entries!);
            athlete.SensorMapJson = SensorMap.Serialize(entries!);
            if (diff.Count > 0)
            {
                // Placements start new trend baselines: the trends are stale from this write on, even where no ride is re-analysed.
                athlete.RideVersion++;
                // The owed re-analysis is saved with the map (one transaction) and found again after a crash.
                athlete.ReanalyzePending = ReanalysisRequests.Merge(athlete.ReanalyzePending, diff);
                athlete.ReanalyzeDueAt = due;
            }
            await db.SaveChangesAsync();
            return diff;
        }, upload: false);
        if (changed.Count > 0)
        {
            reanalysis.Schedule(athleteId, due);
            await trends.RequestAsync(athleteId);
        }
        return TypedResults.Ok(new SensorMapChangedDto(athleteId, SensorMap.Parse(SensorMap.Serialize(entries!)),
            changed.Order().ToList()));
    }
}
