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

public sealed record CoachPairsDto(Guid AthleteId, IReadOnlyList<CoachPairEntry> Pairs);

/// <summary>GET and PUT the pairs a coach defines for an athlete; a change re-analyzes the athlete's rides.</summary>
public static class CoachPairEndpoints
{
    internal static void Map(RouteGroupBuilder athlete)
    {
        const string route = "/pairs";
        athlete.MapGet(route, GetAsync).WithTags("Pairs");
        athlete.MapPut(route, PutAsync).WithTags("Pairs").DisableAntiforgery()
            .CoachOnly("an upload token may not change pairs: sign in as the athlete's coach").ProducesProblem(StatusCodes.Status403Forbidden)
            .Accepts<List<CoachPairEntry>>("application/json")
            .WithSummary("Replace the coach-defined pairs: [{muscleA, sideA, muscleB, sideB, name}]; the rides are re-analyzed");
    }

    internal static Ok<CoachPairsDto> GetAsync(AthleteInScope athlete) =>
        TypedResults.Ok(new CoachPairsDto(athlete.Row.Id, CoachPairs.Parse(athlete.Row.CoachPairsJson)));

    internal static async Task<Results<Ok<CoachPairsDto>, ProblemHttpResult>> PutAsync(Guid athleteId,
        HttpRequest request, NirsDbContext db, WriteGate gate, ReanalysisRequests reanalysis)
    {
        var (entries, malformed) = await JsonBody.ReadAsync<List<CoachPairEntry?>>(request);
        if (malformed is not null) return malformed;
        if (CoachPairs.Validate(entries) is { } error) return Problems.Invalid(error);
        var pairs = entries!.Select(e => e! with { Name = e.Name.Trim() }).ToList();
        var json = CoachPairs.Serialize(pairs);
        // The owed re-analysis of every ride is written by the same UPDATE as the pairs (found again after a crash);
        // its due time moves with each change, so a burst of changes runs one re-analysis.
        var due = reanalysis.DueAt();
        var changed = await gate.RunAsync(() => db.Athletes.Where(a => a.Id == athleteId && a.CoachPairsJson != json)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.CoachPairsJson, json)
                .SetProperty(a => a.ReanalyzePending, ReanalysisRequests.Everything)
                .SetProperty(a => a.ReanalyzeDueAt, due)), upload: false);
        if (changed > 0) reanalysis.Schedule(athleteId, due);
        return TypedResults.Ok(new CoachPairsDto(athleteId, pairs));
    }
}
