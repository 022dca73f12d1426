using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Server.Auth;
using NirsSync.Server.Http;
using NirsSync.Server.Rides;

namespace NirsSync.Server.Ingest;

/// <summary>PUT the offset of an export joined to a ride; the ride is re-analysed with it.</summary>
public static class RideExportEndpoints
{
    /// <summary>Largest offset accepted by hand (a day: a sensor clock a whole day off is still a clock).</summary>
    public const double MaxOffsetS = 86_400;

    public static IEndpointRouteBuilder MapRideExports(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/rides/{rideId:guid}/exports/{uploadId:guid}/offset", PutOffsetAsync).WithTags("Rides")
            .DisableAntiforgery().Accepts<ExportOffsetBody>("application/json").ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Set the offset (s) of a sensor export joined to the ride ({\"offsetS\": 12.5}, null for the one found); the ride is re-analysed");
        return app;
    }

    internal static async Task<Results<Accepted<RideExportDto>, ProblemHttpResult>> PutOffsetAsync(Guid rideId, Guid uploadId,
        HttpRequest request, ClaimsPrincipal user, AccessControl access, NirsDbContext db, WriteGate gate, IBackgroundJobClient jobs)
    {
        var viewer = Viewer.From(user)!;
        var ride = await access.VisibleRides(viewer).FirstOrDefaultAsync(r => r.Id == rideId);
        if (ride is null) return Problems.RideNotFound(rideId);
        // After the lookup (someone else's ride is 404 to everyone), as for the sensor map: moving an export changes the
        // analysis, which only the athlete's coach does.
        if (!viewer.IsCoach) return Problems.Forbidden("an upload token may not set an export's offset: sign in as the athlete's coach");
        var (body, malformed) = await JsonBody.ReadAsync<ExportOffsetBody>(request);
        if (malformed is not null) return malformed;
        if (body is null) return Problems.Invalid("the body must be {\"offsetS\": seconds} or {\"offsetS\": null}");
        if (body.OffsetS is { } s && (!double.IsFinite(s) || Math.Abs(s) > MaxOffsetS))
            return Problems.Invalid($"offsetS {s} is out of range: give seconds between -{MaxOffsetS} and {MaxOffsetS}");
        var export = await gate.RunAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var upload = await db.Uploads.FirstOrDefaultAsync(u => u.Id == uploadId && u.RideId == rideId && u.Id != ride.UploadId
                && u.ExportFormat != null && u.Status == UploadStatus.Processed);
            if (upload is null) return null;
            upload.ExportOffsetOverrideS = body.OffsetS is { } v ? Math.Round(v, 3) : null;
            await db.SaveChangesAsync();
            return RideExportDto.From(upload);
        }, upload: false);
        if (export is null)
            return TypedResults.Problem(title: "Export not found", statusCode: 404,
                detail: $"no sensor export {uploadId} joined to ride {rideId}");
        jobs.Enqueue<ExportMerge>(m => m.ReanalyzeAsync(rideId));
        return TypedResults.Accepted($"/api/rides/{rideId}", export);
    }
}
