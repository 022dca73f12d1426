using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data.Accounts;
using NirsSync.Data;
using NirsSync.Server.Http;

namespace NirsSync.Server.Tokens;

public sealed record TokenDto(Guid Id, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record IssuedTokenDto(Guid Id, Guid AthleteId, string Token);

/// <summary>An athlete's upload tokens: list (never their text), issue (coaches only), revoke.</summary>
public static class TokenEndpoints
{
    public static RouteGroupBuilder MapTokens(this RouteGroupBuilder athlete)
    {
        athlete.MapGet("/tokens", ListAsync).WithTags("Athletes").WithSummary("Upload tokens (never their text)");
        athlete.MapPost("/tokens", IssueAsync).WithTags("Athletes").DisableAntiforgery()
            .CoachOnly("only the athlete's coach issues upload tokens").ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Issue a new upload token; its text is shown only in this answer");
        athlete.MapDelete("/tokens/{tokenId:guid}", RevokeAsync).WithTags("Athletes").DisableAntiforgery()
            .CoachOnly("an upload token may not revoke tokens: sign in as the athlete's coach").ProducesProblem(StatusCodes.Status403Forbidden);
        return athlete;
    }

    internal static async Task<Ok<List<TokenDto>>> ListAsync(Guid athleteId, NirsDbContext db)
    {
        var tokens = await db.UploadTokens.AsNoTracking().Where(t => t.AthleteId == athleteId)
            .Select(t => new TokenDto(t.Id, t.Prefix, t.CreatedAt, t.RevokedAt)).ToListAsync();
        return TypedResults.Ok(tokens.OrderBy(t => t.CreatedAt).ToList());
    }

    internal static async Task<Created<IssuedTokenDto>> IssueAsync(Guid athleteId, AccountService accounts)
    {
        var issued = await accounts.IssueTokenAsync(athleteId);
        return TypedResults.Created($"/api/athletes/{athleteId}/tokens/{issued.TokenId}",
            new IssuedTokenDto(issued.TokenId, athleteId, issued.Token));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid athleteId, Guid tokenId,
        AccountService accounts, Auth.UploadTokenCache cache)
    {
        var revoked = await accounts.RevokeTokensAsync(athleteId, tokenId);
        cache.ForgetAthlete(athleteId);
        return revoked == 0
            ? TypedResults.Problem(title: "Token not found", detail: $"no live token {tokenId} of athlete {athleteId}", statusCode: 404)
            : TypedResults.NoContent();
    }
}
