using System.Security.Claims;
using System.Text.Json;
using NirsSync.Server.Rides;
using NirsSync.Data.Documents;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Server.Http;

namespace NirsSync.Server.Trends;

/// <summary>The weekly trends and whether rides arrived since they were computed.</summary>
public sealed record TrendsDto(Guid AthleteId, bool Current, DateTimeOffset? UpdatedAt, JsonElement? Trends);

/// <summary>GET the weekly trends of an athlete per muscle and per pair.</summary>
public static class TrendEndpoints
{
    public static RouteGroupBuilder MapTrends(this RouteGroupBuilder athlete)
    {
        athlete.MapGet("/trends", GetAsync).WithTags("Trends")
            .WithSummary("Weekly trends per muscle and per pair, with flags");
        return athlete;
    }

    internal static Ok<TrendsDto> GetAsync(AthleteInScope scope)
    {
        var athlete = scope.Row;
        return TypedResults.Ok(new TrendsDto(athlete.Id, athlete.TrendsVersion >= athlete.RideVersion,
            athlete.TrendsUpdatedAt,
            RideDocuments.ReadTrends(athlete.TrendsJson) is { } trends ? RideEndpoints.Element(trends) : null));
    }
}
