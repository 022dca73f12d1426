using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;

namespace NirsSync.Server.Reading;

/// <summary>The weekly trends and whether rides arrived since they were computed.</summary>
public sealed record TrendsDto(Guid AthleteId, bool Current, DateTimeOffset? UpdatedAt, JsonElement? Trends);

/// <summary>GET the weekly trends of an athlete per muscle and per pair.</summary>
public static class TrendEndpoints
{
    public static IEndpointRouteBuilder MapTrends(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/athletes/{athleteId:guid}/trends", GetAsync).WithTags("Trends")
            .WithSummary("Weekly trends per muscle and per pair, with flags");
        return app;
    }

    internal static async Task<Results<Ok<TrendsDto>, ProblemHttpResult>> GetAsync(Guid athleteId, ClaimsPrincipal user,
        AccessControl access)
    {
        var athlete = await access.VisibleAthletes(Viewer.From(user)!).FirstOrDefaultAsync(a => a.Id == athleteId);
        if (athlete is null) return Problems.AthleteNotFound(athleteId);
        return TypedResults.Ok(new TrendsDto(athlete.Id, athlete.TrendsVersion >= athlete.RideVersion,
            athlete.TrendsUpdatedAt, athlete.TrendsJson is { } json ? RideEndpoints.Parse(json) : null));
    }
}
