using System.Security.Claims;

namespace NirsSync.Server.Auth;

/// <summary>
/// Who is asking: an athlete (upload token, or an athlete's sign-in) or a coach (signed in with a password). A
/// self-coached rider's sign-in is both: <see cref="AthleteId"/> limits what it sees to the rider, <see cref="CoachId"/>
/// (the rider's own user id, which is the athlete's coach) lets it do what a coach may do for that rider.
/// </summary>
public sealed record Viewer(Guid? AthleteId, string? CoachId, bool IsAdmin)
{
    public const string AthleteClaim = NirsSync.Data.Accounts.AccountService.AthleteClaim;
    public const string AdminClaim = "nirs:admin";

    public bool IsAthlete => AthleteId is not null;
    public bool IsCoach => CoachId is not null;

    public static Viewer? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        if (user.FindFirstValue(AthleteClaim) is { } athlete && Guid.TryParse(athlete, out var id))
            return new Viewer(id, user.HasClaim(NirsSync.Data.Accounts.AccountService.SelfCoachedClaim, "true")
                ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null, false);
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } coach)
            return new Viewer(null, coach, user.HasClaim(AdminClaim, "true"));
        return null;
    }
}
