using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Server.Data;
using NirsSync.Server.Jobs;

namespace NirsSync.Server.Reading;

public sealed record CoachPairsDto(Guid AthleteId, IReadOnlyList<CoachPairEntry> Pairs);

/// <summary>GET and PUT the pairs a coach defines for an athlete; a change re-analyzes the athlete's rides.</summary>
public static class CoachPairEndpoints
{
    public static IEndpointRouteBuilder MapCoachPairs(this IEndpointRouteBuilder app)
    {
        var route = "/api/athletes/{athleteId:guid}/pairs";
        app.MapGet(route, GetAsync).WithTags("Pairs");
        app.MapPut(route, PutAsync).WithTags("Pairs").DisableAntiforgery()
            .Accepts<List<CoachPairEntry>>("application/json")
            .WithSummary("Replace the coach-defined pairs: [{muscleA, sideA, muscleB, sideB, name}]; the rides are re-analyzed");
        return app;
    }

    internal static async Task<Results<Ok<CoachPairsDto>, ProblemHttpResult>> GetAsync(Guid athleteId, ClaimsPrincipal user,
        AccessControl access)
    {
        var json = await access.VisibleAthletes(Viewer.From(user)!).Where(a => a.Id == athleteId)
            .Select(a => a.CoachPairsJson).FirstOrDefaultAsync();
        return json is null ? Problems.AthleteNotFound(athleteId)
            : TypedResults.Ok(new CoachPairsDto(athleteId, CoachPairs.Parse(json)));
    }

    internal static async Task<Results<Ok<CoachPairsDto>, ProblemHttpResult>> PutAsync(Guid athleteId,
        HttpRequest request, ClaimsPrincipal user, AccessControl access, NirsDbContext db, WriteGate gate,
        IBackgroundJobClient jobs)
    {
        if (!await access.CanSeeAthleteAsync(Viewer.From(user)!, athleteId)) return Problems.AthleteNotFound(athleteId);
        var (entries, malformed) = await JsonBody.ReadAsync<List<CoachPairEntry?>>(request);
        if (malformed is not null) return malformed;
        if (CoachPairs.Validate(entries) is { } error) return Problems.Invalid(error);
        var pairs = entries!.Select(e => e! with { Name = e.Name.Trim() }).ToList();
        var json = CoachPairs.Serialize(pairs);
        var changed = await gate.RunAsync(() => db.Athletes.Where(a => a.Id == athleteId && a.CoachPairsJson != json)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.CoachPairsJson, json)), upload: false);
        if (changed > 0) jobs.Enqueue<ReanalyzeJob>(job => job.RunAllAsync(athleteId));
        return TypedResults.Ok(new CoachPairsDto(athleteId, pairs));
    }
}
