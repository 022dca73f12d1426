using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Server.Data;
using NirsSync.Server.Jobs;

namespace NirsSync.Server.Reading;

public sealed record SensorMapDto(Guid AthleteId, IReadOnlyList<SensorMapEntry> Sensors);

public sealed record SensorMapChangedDto(Guid AthleteId, IReadOnlyList<SensorMapEntry> Sensors, IReadOnlyList<int> ChangedDevices);

/// <summary>GET and PUT an athlete's sensor-to-muscle map; a change re-analyzes the rides it affects.</summary>
public static class SensorMapEndpoints
{
    public static IEndpointRouteBuilder MapSensorMap(this IEndpointRouteBuilder app)
    {
        var route = "/api/athletes/{athleteId:guid}/sensor-map";
        app.MapGet(route, GetAsync).WithTags("Sensor map");
        app.MapPut(route, PutAsync).WithTags("Sensor map").DisableAntiforgery()
            .Accepts<List<SensorMapEntry>>("application/json")
            .WithSummary("Replace the map: [{device, muscle, side}]; rides using changed sensors are re-analyzed");
        return app;
    }

    internal static async Task<Results<Ok<SensorMapDto>, ProblemHttpResult>> GetAsync(Guid athleteId, ClaimsPrincipal user,
        AccessControl access)
    {
        var athlete = await access.VisibleAthletes(Viewer.From(user)!).FirstOrDefaultAsync(a => a.Id == athleteId);
        return athlete is null ? Problems.AthleteNotFound(athleteId)
            : TypedResults.Ok(new SensorMapDto(athleteId, SensorMap.Parse(athlete.SensorMapJson)));
    }

    internal static async Task<Results<Ok<SensorMapChangedDto>, ProblemHttpResult>> PutAsync(Guid athleteId,
        HttpRequest request, ClaimsPrincipal user, AccessControl access, NirsDbContext db, WriteGate gate,
        IBackgroundJobClient jobs)
    {
        if (!await access.CanSeeAthleteAsync(Viewer.From(user)!, athleteId)) return Problems.AthleteNotFound(athleteId);
        var (entries, malformed) = await JsonBody.ReadAsync<List<SensorMapEntry>>(request);
        if (malformed is not null) return malformed;
        if (SensorMap.Validate(entries) is { } error) return Problems.Invalid(error);
        var changed = await gate.RunAsync(async () =>
        {
            var athlete = await db.Athletes.SingleAsync(a => a.Id == athleteId);
            var diff = SensorMap.Changed(SensorMap.Parse(athlete.SensorMapJson), entries!);
            athlete.SensorMapJson = SensorMap.Serialize(entries!);
            await db.SaveChangesAsync();
            return diff;
        }, upload: false);
        if (changed.Count > 0) jobs.Enqueue<ReanalyzeJob>(job => job.RunAsync(athleteId, changed.Order().ToArray()));
        return TypedResults.Ok(new SensorMapChangedDto(athleteId, SensorMap.Parse(SensorMap.Serialize(entries!)),
            changed.Order().ToList()));
    }
}
