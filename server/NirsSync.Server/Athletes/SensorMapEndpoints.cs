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
        var changed = await gate.RunAsync(() => WriteAsync(db, athleteId, entries!, due), upload: false);
        if (changed.Count > 0)
        {
            reanalysis.Schedule(athleteId, due);
            await trends.RequestAsync(athleteId);
        }
        return TypedResults.Ok(new SensorMapChangedDto(athleteId, SensorMap.Parse(SensorMap.Serialize(entries!)),
            changed.Order().ToList()));
    }

    /// <summary>
    /// Stores the map and, when it changed, records the owed re-analysis and bumps the ride version. Several web nodes
    /// may write at once (postgres mode lets every write through), so nothing is read-modified-written blindly: the
    /// row is written with a conditional update that only matches the values the change was computed from (map and
    /// owed re-analysis), the version is incremented in place, and a write that lost the race is computed again from
    /// the row as it is now. Returns the changed devices.
    /// </summary>
    private static async Task<IReadOnlySet<int>> WriteAsync(NirsDbContext db, Guid athleteId,
        IReadOnlyList<SensorMapEntry> entries, DateTimeOffset due)
    {
        var json = SensorMap.Serialize(entries);
        for (var attempt = 1; ; attempt++)
        {
            var current = await db.Athletes.AsNoTracking().Where(a => a.Id == athleteId)
                .Select(a => new { a.SensorMapJson, a.ReanalyzePending }).SingleAsync();
            var diff = SensorMap.Changed(SensorMap.Parse(current.SensorMapJson), entries);
            var pending = diff.Count > 0 ? ReanalysisRequests.Merge(current.ReanalyzePending, diff) : current.ReanalyzePending;
            var matching = db.Athletes.Where(a => a.Id == athleteId && a.SensorMapJson == current.SensorMapJson
                && a.ReanalyzePending == current.ReanalyzePending);
            // Placements start new trend baselines: the trends are stale from this write on, even where no ride is re-analysed.
            // The owed re-analysis is saved with the map (one statement) and found again after a crash.
            var written = diff.Count == 0
                ? await matching.ExecuteUpdateAsync(s => s.SetProperty(a => a.SensorMapJson, json))
                : await matching.ExecuteUpdateAsync(s => s.SetProperty(a => a.SensorMapJson, json)
                    .SetProperty(a => a.RideVersion, a => a.RideVersion + 1)
                    .SetProperty(a => a.ReanalyzePending, pending)
                    .SetProperty(a => a.ReanalyzeDueAt, due));
            if (written == 1) return diff;
            if (attempt == MaxWriteAttempts)
                throw new DbUpdateConcurrencyException($"the sensor map of athlete {athleteId} changed under {attempt} attempts to write it");
        }
    }

    /// <summary>Attempts at the conditional write before giving up (each lost one means another write succeeded).</summary>
    private const int MaxWriteAttempts = 20;
}
