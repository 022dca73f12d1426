using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Analysis;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Http;

namespace NirsSync.Server.SpotChecks;

public sealed record SpotCheckSiteDto(string Muscle, string Side);

public sealed record SpotCheckRatioDto(SpotCheckSiteDto A, SpotCheckSiteDto B, string Relation, double Difference, double? Ratio,
    double? ThbDifference);

public sealed record SpotCheckDto(Guid Id, Guid AthleteId, DateTimeOffset TakenAt, string Condition, string? Note, string Source,
    Guid? RideId, IReadOnlyList<SpotCheckEntry> Entries, IReadOnlyList<SpotCheckRatioDto> Ratios);

/// <summary>
/// Resting spot checks of an athlete (docs/api.md, "Spot checks"): posted by a rider or coach, or recorded by the data
/// field's assessment mode and created when that ride is ingested. Each answer carries the partner ratios.
/// </summary>
public static class SpotCheckEndpoints
{
    public static void Map(RouteGroupBuilder athlete)
    {
        const string route = "/spot-checks";
        athlete.MapPost(route, PostAsync).WithTags("Spot checks").DisableAntiforgery()
            .Accepts<SpotCheckRequest>("application/json")
            .WithSummary("Store a resting spot check: {takenAt, condition, note, entries: [{muscle, side, smo2, thb}]}");
        athlete.MapGet(route, ListAsync).WithTags("Spot checks").WithSummary("The athlete's spot checks, newest first, each with its partner ratios");
        athlete.MapGet(route + "/trends", TrendsAsync).WithTags("Spot checks")
            .WithSummary("Weekly trends of the spot checks: per site rest_smo2 and rest_thb, per partner pair rest_difference");
        athlete.MapGet(route + "/{checkId:guid}", GetAsync).WithTags("Spot checks");
        athlete.MapDelete(route + "/{checkId:guid}", DeleteAsync).WithTags("Spot checks")
            .CoachOnly("an upload token may not delete spot checks: sign in as the athlete's coach").ProducesProblem(StatusCodes.Status403Forbidden);
    }

    internal static async Task<Results<Created<SpotCheckDto>, ProblemHttpResult>> PostAsync(Guid athleteId, HttpRequest request,
        NirsDbContext db, WriteGate gate, TimeProvider clock)
    {
        var (body, malformed) = await JsonBody.ReadAsync<SpotCheckRequest>(request);
        if (malformed is not null) return malformed;
        var now = clock.GetUtcNow();
        if (SpotCheckDocument.Validate(body, now) is { } error) return Problems.Invalid(error);
        var check = new SpotCheck
        {
            Id = Guid.CreateVersion7(),
            AthleteId = athleteId,
            TakenAt = body!.TakenAt!.Value,
            Condition = body.Condition ?? "rest",
            Note = body.Note,
            EntriesJson = SpotCheckDocument.Serialize(body.Entries!.Select(e => e!)),
            Source = "api",
            CreatedAt = now,
        };
        await gate.RunAsync(async () =>
        {
            db.SpotChecks.Add(check);
            await db.SaveChangesAsync();
        }, upload: false);
        return TypedResults.Created($"{AthleteScope.Route.Replace("{athleteId:guid}", athleteId.ToString(), StringComparison.Ordinal)}/spot-checks/{check.Id}",
            ToDto(check));
    }

    internal static async Task<Ok<List<SpotCheckDto>>> ListAsync(Guid athleteId, NirsDbContext db)
    {
        var rows = await db.SpotChecks.AsNoTracking().Where(c => c.AthleteId == athleteId).ToListAsync();
        return TypedResults.Ok(rows.OrderByDescending(c => c.TakenAt).ThenByDescending(c => c.Id).Select(ToDto).ToList());
    }

    internal static async Task<Results<Ok<SpotCheckDto>, ProblemHttpResult>> GetAsync(Guid athleteId, Guid checkId, NirsDbContext db) =>
        await db.SpotChecks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == checkId && c.AthleteId == athleteId) is { } row
            ? TypedResults.Ok(ToDto(row))
            : NotFound(checkId);

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid athleteId, Guid checkId, NirsDbContext db,
        WriteGate gate)
    {
        var removed = await gate.RunAsync(() => db.SpotChecks.Where(c => c.Id == checkId && c.AthleteId == athleteId)
            .ExecuteDeleteAsync(), upload: false);
        return removed == 0 ? NotFound(checkId) : TypedResults.NoContent();
    }

    internal static async Task<Ok<AthleteTrends>> TrendsAsync(AthleteInScope athlete, NirsDbContext db)
    {
        var rows = await db.SpotChecks.AsNoTracking().Where(c => c.AthleteId == athlete.Row.Id).ToListAsync();
        var summaries = rows.Select(c => RestChecks.Summary(c.Id.ToString(), c.TakenAt,
            SpotCheckDocument.Sites(SpotCheckDocument.Parse(c.EntriesJson))));
        return TypedResults.Ok(WeeklyTrends.Compute(summaries, AthleteTimeZones.Find(athlete.Row.TimeZone)));
    }

    private static ProblemHttpResult NotFound(Guid checkId) =>
        TypedResults.Problem(title: "Spot check not found", detail: $"no spot check {checkId} of this athlete", statusCode: 404);

    public static SpotCheckDto ToDto(SpotCheck c)
    {
        var entries = SpotCheckDocument.Parse(c.EntriesJson);
        var ratios = RestChecks.Ratios(SpotCheckDocument.Sites(entries)).Select(r => new SpotCheckRatioDto(
            new SpotCheckSiteDto(Muscles.Name(r.A.Muscle), Muscles.Name(r.A.Side)),
            new SpotCheckSiteDto(Muscles.Name(r.B.Muscle), Muscles.Name(r.B.Side)),
            r.Relation, r.Difference, r.Ratio, r.THbDifference)).ToList();
        return new SpotCheckDto(c.Id, c.AthleteId, c.TakenAt, c.Condition, c.Note, c.Source, c.RideId, entries, ratios);
    }
}
