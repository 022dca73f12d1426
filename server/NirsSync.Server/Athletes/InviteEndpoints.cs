using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using NirsSync.Data;
using NirsSync.Server.Auth;
using NirsSync.Server.Http;

namespace NirsSync.Server.Athletes;

/// <summary>The answer to a new invite: the one-time link (relative to this server) and until when it is good.</summary>
public sealed record InviteDto(Guid AthleteId, string Link, DateTimeOffset ExpiresAt);

/// <summary><c>POST /api/athletes/{id}/invites</c>: the athlete's coach invites the rider to a sign-in of their own.</summary>
public static class InviteEndpoints
{
    internal static void Map(RouteGroupBuilder athlete)
    {
        athlete.MapPost("/invites", PostAsync).WithTags("Athletes").DisableAntiforgery()
            .CoachOnly("an upload token may not invite: sign in as the athlete's coach").ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A one-time link /invite/{code} (7 days) for the rider to choose an email and password; revokes the athlete's earlier invites");
    }

    internal static async Task<Results<Created<InviteDto>, ProblemHttpResult>> PostAsync(Guid athleteId, ClaimsPrincipal user,
        NirsDbContext db, WriteGate gate, TimeProvider clock)
    {
        if (await AthleteInvites.HasSignInAsync(db, athleteId))
            return TypedResults.Problem(title: "The athlete has a sign-in already",
                detail: $"athlete {athleteId} signs in with their own email and password already; there is nothing to invite to", statusCode: 409);
        var coach = Viewer.From(user)!.CoachId!;
        var invite = await gate.RunAsync(() => AthleteInvites.IssueAsync(db, athleteId, coach, clock.GetUtcNow()), upload: false);
        var link = $"/invite/{invite.Code}";
        return TypedResults.Created(link, new InviteDto(athleteId, link, invite.ExpiresAt));
    }
}
