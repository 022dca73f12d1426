using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Server.Http;

namespace NirsSync.Server.Rides;

public sealed record RideSummaryDto(Guid Id, Guid AthleteId, Guid UploadId, DateTimeOffset StartTime, double DurationSeconds,
    DateOnly WeekStart, double? AveragePower, int RecordCount, string? Warning);

/// <summary>A ride with its channels (muscle, side), metrics per muscle, pairs and downsampled series.</summary>
public sealed record RideDto(Guid Id, Guid AthleteId, Guid UploadId, DateTimeOffset StartTime, double DurationSeconds,
    DateOnly WeekStart, double? AveragePower, int RecordCount, string? Warning, DateTimeOffset AnalyzedAt,
    JsonElement Channels, JsonElement Metrics, JsonElement Pairs, JsonElement Series);

/// <summary>GET the rides of an athlete and one ride.</summary>
public static class RideEndpoints
{
    public static IEndpointRouteBuilder MapRides(this IEndpointRouteBuilder app, RouteGroupBuilder athlete)
    {
        athlete.MapGet("/rides", ListAsync).WithTags("Rides")
            .WithSummary("The athlete's rides, newest first");
        app.MapGet("/api/rides/{rideId:guid}", GetAsync).WithTags("Rides")
            .WithSummary("A ride: channels with muscle and side, metrics, pairs, SmO2/tHb/power series");
        return app;
    }

    internal static async Task<Ok<List<RideSummaryDto>>> ListAsync(Guid athleteId, NirsDbContext db) =>
        TypedResults.Ok(await Summaries(db, athleteId));

    internal static Task<List<RideSummaryDto>> Summaries(NirsDbContext db, Guid athleteId) =>
        db.Rides.AsNoTracking().Where(r => r.AthleteId == athleteId).OrderByDescending(r => r.StartTime)
            .Select(r => new RideSummaryDto(r.Id, r.AthleteId, r.UploadId, r.StartTime, r.DurationSeconds, r.WeekStart,
                r.AveragePower, r.RecordCount, r.Warning))
            .ToListAsync();

    internal static async Task<Results<Ok<RideDto>, ProblemHttpResult>> GetAsync(Guid rideId, ClaimsPrincipal user,
        AccessControl access)
    {
        var ride = await access.VisibleRides(Viewer.From(user)!).FirstOrDefaultAsync(r => r.Id == rideId);
        return ride is null ? Problems.RideNotFound(rideId) : TypedResults.Ok(ToDto(ride));
    }

    internal static RideDto ToDto(Ride r) => new(r.Id, r.AthleteId, r.UploadId, r.StartTime, r.DurationSeconds,
        r.WeekStart, r.AveragePower, r.RecordCount, r.Warning, r.AnalyzedAt, Parse(r.ChannelsJson), Parse(r.MetricsJson),
        Parse(r.PairsJson), Parse(r.SeriesJson));

    internal static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
