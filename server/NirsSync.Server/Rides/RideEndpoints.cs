using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Http;

namespace NirsSync.Server.Rides;

public sealed record RideSummaryDto(Guid Id, Guid AthleteId, Guid UploadId, DateTimeOffset StartTime, double DurationSeconds,
    DateOnly WeekStart, double? AveragePower, int RecordCount, string? Warning);

/// <summary>
/// A ride with its channels (muscle, side), metrics per muscle, pairs and downsampled series, written from
/// the stored document's typed objects (<see cref="RideDocuments"/>) with the stored documents' JSON names.
/// </summary>
public sealed record RideDto(Guid Id, Guid AthleteId, Guid UploadId, DateTimeOffset StartTime, double DurationSeconds,
    DateOnly WeekStart, double? AveragePower, int RecordCount, string? Warning, DateTimeOffset AnalyzedAt,
    JsonElement Channels, JsonElement Metrics, JsonElement Pairs, JsonElement Series)
{
    /// <summary>The sensor exports joined to this ride and how they were placed; left out for a ride without any.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RideExportDto>? Exports { get; init; }

    /// <summary>The sensor-export format of the ride's own upload when the ride is an export standing alone; left out for FIT rides.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExportFormat { get; init; }

    /// <summary>
    /// The work intervals given for this ride (PUT /api/rides/{id}/efforts), seconds from the recording's first sample;
    /// left out while the ride's efforts are found automatically.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<GivenEffort>? GivenEfforts { get; init; }
}

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
        AccessControl access, NirsDbContext db)
    {
        // The ride and the uploads joined to it from one snapshot: read apart, a join committing between the two
        // reads answered with the export listed beside the channels of the ride before it. Read-only: it takes no write
        // lock (ReadSnapshot).
        await using var snapshot = await ReadSnapshot.BeginAsync(db);
        var ride = await access.VisibleRides(Viewer.From(user)!).FirstOrDefaultAsync(r => r.Id == rideId);
        if (ride is null) return Problems.RideNotFound(rideId);
        var uploads = await access.VisibleUploads(Viewer.From(user)!)
            .Where(u => u.ExportFormat != null && (u.RideId == rideId || u.Id == ride.UploadId)).ToListAsync();
        var joined = uploads.Where(u => u.Id != ride.UploadId && u.Status == UploadStatus.Processed)
            .OrderBy(u => u.ReceivedAt).ThenBy(u => u.Id).Select(RideExportDto.From).ToList();
        return TypedResults.Ok(ToDto(ride) with
        {
            Exports = joined.Count == 0 ? null : joined,
            ExportFormat = uploads.FirstOrDefault(u => u.Id == ride.UploadId)?.ExportFormat,
        });
    }

    internal static RideDto ToDto(Ride r)
    {
        var document = RideDocuments.Read(r.Document);
        return new(r.Id, r.AthleteId, r.UploadId, r.StartTime, r.DurationSeconds, r.WeekStart, r.AveragePower, r.RecordCount,
            r.Warning, r.AnalyzedAt, Element(document.Channels), Element(document.Metrics), Element(document.Pairs),
            Element(RideDocuments.SeriesView(document)))
        {
            GivenEfforts = GivenEfforts.Parse(r.GivenEffortsJson),
        };
    }

    /// <summary>A typed document part as JSON with the stored documents' names (enums as snake_case).</summary>
    internal static JsonElement Element<T>(T value) => JsonSerializer.SerializeToElement(value, AnalysisJson.Options);
}
