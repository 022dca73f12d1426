using System.Security.Claims;

namespace NirsSync.Server.Auth;

/// <summary>Who is asking: an athlete (upload token) or a coach (signed in with a password).</summary>
public sealed record Viewer(Guid? AthleteId, string? CoachId, bool IsAdmin)
{
    public const string AthleteClaim = "nirs:athlete";
    public const string AdminClaim = "nirs:admin";

    public bool IsAthlete => AthleteId is not null;
    public bool IsCoach => CoachId is not null;

    public static Viewer? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        if (user.FindFirstValue(AthleteClaim) is { } athlete && Guid.TryParse(athlete, out var id))
            return new Viewer(id, null, false);
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } coach)
            return new Viewer(null, coach, user.HasClaim(AdminClaim, "true"));
        return null;
    }
}
