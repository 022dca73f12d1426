using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Data;

namespace NirsSync.Server.Http;

/// <summary>
/// The route group <c>/api/athletes/{athleteId}</c>: its filter resolves the athlete once and answers 404 (then 403 for a
/// coach-only endpoint asked by the athlete's own upload token) before any handler runs, so no handler repeats the access check.
/// Handlers read the resolved row from <see cref="AthleteInScope"/>.
/// </summary>
public static class AthleteScope
{
    public const string Route = "/api/athletes/{athleteId:guid}";

    public static RouteGroupBuilder MapAthleteScope(this IEndpointRouteBuilder app) =>
        app.MapGroup(Route).AddEndpointFilter(ResolveAsync).ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>Marks an endpoint of the group that only the athlete's coach may call.</summary>
    public static TBuilder CoachOnly<TBuilder>(this TBuilder builder, string detail) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CoachOnlyEndpoint(detail));

    private static async ValueTask<object?> ResolveAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var viewer = Viewer.From(http.User);
        // The route constraint {athleteId:guid} guarantees the value parses.
        var athleteId = Guid.Parse((string)http.GetRouteValue("athleteId")!, System.Globalization.CultureInfo.InvariantCulture);
        var athlete = viewer is null ? null
            : await http.RequestServices.GetRequiredService<AccessControl>().VisibleAthletes(viewer)
                .FirstOrDefaultAsync(a => a.Id == athleteId, http.RequestAborted);
        if (athlete is null) return Problems.AthleteNotFound(athleteId);
        // After the lookup, so that someone else's athlete is 404 to everyone (as for reading), and only the
        // athlete's own upload token learns that the change needs the coach (403).
        if (http.GetEndpoint()?.Metadata.GetMetadata<CoachOnlyEndpoint>() is { } coachOnly && viewer is not { IsCoach: true })
            return Problems.Forbidden(coachOnly.Detail);
        http.RequestServices.GetRequiredService<AthleteInScope>().Row = athlete;
        return await next(context);
    }

    private sealed record CoachOnlyEndpoint(string Detail);
}

/// <summary>The athlete of the current <c>/api/athletes/{athleteId}</c> request, resolved and authorised by <see cref="AthleteScope"/>.</summary>
public sealed class AthleteInScope
{
    private Athlete? _row;

    /// <summary>The athlete's row as read at the start of the request (not tracked).</summary>
    public Athlete Row
    {
        get => _row ?? throw new InvalidOperationException("AthleteInScope read outside the /api/athletes/{athleteId} group");
        set => _row = value;
    }
}
