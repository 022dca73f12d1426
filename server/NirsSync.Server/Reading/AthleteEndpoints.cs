using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Accounts;
using NirsSync.Server.Auth;
using NirsSync.Server.Data;

namespace NirsSync.Server.Reading;

public sealed record AthleteDto(Guid Id, string Name, int Rides, DateTimeOffset? LatestRide, DateTimeOffset? TrendsUpdatedAt,
    string TimeZone);

public sealed record TokenDto(Guid Id, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record IssuedTokenDto(Guid Id, Guid AthleteId, string Token);

/// <summary>Athletes visible to the viewer, and their upload tokens (coaches manage them).</summary>
public static class AthleteEndpoints
{
    public static IEndpointRouteBuilder MapAthletes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/athletes").WithTags("Athletes");
        group.MapGet("", ListAsync).WithSummary("A coach's linked athletes, or the token's own athlete");
        group.MapGet("/{athleteId:guid}", GetAsync);
        group.MapGet("/{athleteId:guid}/tokens", TokensAsync).WithSummary("Upload tokens (never their text)");
        group.MapPost("/{athleteId:guid}/tokens", IssueAsync).DisableAntiforgery()
            .WithSummary("Issue a new upload token; its text is shown only in this answer");
        group.MapDelete("/{athleteId:guid}/tokens/{tokenId:guid}", RevokeAsync).DisableAntiforgery();
        return app;
    }

    internal static async Task<Ok<List<AthleteDto>>> ListAsync(ClaimsPrincipal user, AccessControl access, NirsDbContext db) =>
        TypedResults.Ok(await Project(access.VisibleAthletes(Viewer.From(user)!), db).ToListAsync());

    internal static async Task<Results<Ok<AthleteDto>, ProblemHttpResult>> GetAsync(Guid athleteId, ClaimsPrincipal user,
        AccessControl access, NirsDbContext db)
    {
        var athlete = await Project(access.VisibleAthletes(Viewer.From(user)!).Where(a => a.Id == athleteId), db)
            .FirstOrDefaultAsync();
        return athlete is null ? Problems.AthleteNotFound(athleteId) : TypedResults.Ok(athlete);
    }

    internal static async Task<Results<Ok<List<TokenDto>>, ProblemHttpResult>> TokensAsync(Guid athleteId,
        ClaimsPrincipal user, AccessControl access, NirsDbContext db)
    {
        if (!await access.CanSeeAthleteAsync(Viewer.From(user)!, athleteId)) return Problems.AthleteNotFound(athleteId);
        var tokens = await db.UploadTokens.AsNoTracking().Where(t => t.AthleteId == athleteId)
            .Select(t => new TokenDto(t.Id, t.Prefix, t.CreatedAt, t.RevokedAt)).ToListAsync();
        return TypedResults.Ok(tokens.OrderBy(t => t.CreatedAt).ToList());
    }

    internal static async Task<Results<Created<IssuedTokenDto>, ProblemHttpResult>> IssueAsync(Guid athleteId,
        ClaimsPrincipal user, AccessControl access, AccountService accounts)
    {
        var viewer = Viewer.From(user)!;
        if (!viewer.IsCoach) return Problems.Forbidden("only the athlete's coach issues upload tokens");
        if (!await access.CanSeeAthleteAsync(viewer, athleteId)) return Problems.AthleteNotFound(athleteId);
        var issued = await accounts.IssueTokenAsync(athleteId);
        return TypedResults.Created($"/api/athletes/{athleteId}/tokens/{issued.TokenId}",
            new IssuedTokenDto(issued.TokenId, athleteId, issued.Token));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid athleteId, Guid tokenId,
        ClaimsPrincipal user, AccessControl access, AccountService accounts)
    {
        var viewer = Viewer.From(user)!;
        if (!await access.CanSeeAthleteAsync(viewer, athleteId)) return Problems.AthleteNotFound(athleteId);
        var revoked = await accounts.RevokeTokensAsync(athleteId, tokenId);
        return revoked == 0
            ? TypedResults.Problem(title: "Token not found", detail: $"no live token {tokenId} of athlete {athleteId}", statusCode: 404)
            : TypedResults.NoContent();
    }

    private static IQueryable<AthleteDto> Project(IQueryable<Athlete> athletes, NirsDbContext db) =>
        athletes.OrderBy(a => a.Name).Select(a => new AthleteDto(a.Id, a.Name,
            db.Rides.Count(r => r.AthleteId == a.Id),
            db.Rides.Where(r => r.AthleteId == a.Id).Max(r => (DateTimeOffset?)r.StartTime),
            a.TrendsUpdatedAt, a.TimeZone));
}
