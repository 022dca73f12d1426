using System.Security.Claims;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Auth;
using NirsSync.Server.Http;
using NirsSync.Server.Rides;

namespace NirsSync.Server.Ingest;

/// <summary>
/// PUT and DELETE the work intervals given for one ride (a ride without a power meter, or efforts the coach knows
/// better than the power trace): the ride is re-analysed with them (effort source "given") and the trends follow.
/// Like the sensor map, a change needs the signed-in coach; an upload token gets 403.
/// </summary>
public static class GivenEffortEndpoints
{
    private const string CoachOnly = "an upload token may not change a ride's efforts: sign in as the athlete's coach";

    public static IEndpointRouteBuilder MapGivenEfforts(this IEndpointRouteBuilder app)
    {
        const string route = "/api/rides/{rideId:guid}/efforts";
        app.MapPut(route, PutAsync).WithTags("Rides").DisableAntiforgery()
            .Accepts<JsonElement>("application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Give the ride's work intervals ({\"efforts\": [{\"start_s\", \"end_s\"}]}, seconds from the first sample); the ride is re-analysed with them");
        app.MapDelete(route, DeleteAsync).WithTags("Rides")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Clear the ride's given intervals: its efforts are found from power, laps or SmO2 again");
        return app;
    }

    internal static async Task<Results<Accepted<RideDto>, ProblemHttpResult>> PutAsync(Guid rideId, HttpRequest request,
        ClaimsPrincipal user, AccessControl access, NirsDbContext db, WriteGate gate, IBackgroundJobClient jobs)
    {
        var (ride, refused) = await FindAsync(rideId, user, access);
        if (refused is not null) return refused;
        var (body, malformed) = await JsonBody.ReadAsync<JsonElement>(request);
        if (malformed is not null) return malformed;
        var (efforts, problem) = GivenEfforts.Read(body, ride!.DurationSeconds);
        if (problem is not null) return Problems.Invalid(problem);
        var json = GivenEfforts.Serialize(efforts!);
        var stored = await StoreAsync(db, gate, rideId, json);
        if (stored is null) return Problems.RideNotFound(rideId);
        jobs.Enqueue<ReanalyzeJob>(job => job.RunRideAsync(stored.AthleteId, rideId));
        return TypedResults.Accepted($"/api/rides/{rideId}", RideEndpoints.ToDto(stored));
    }

    /// <summary>202 when intervals were cleared (the ride is re-analysed), 200 when there were none (nothing to do).</summary>
    internal static async Task<Results<Accepted<RideDto>, Ok<RideDto>, ProblemHttpResult>> DeleteAsync(Guid rideId,
        ClaimsPrincipal user, AccessControl access, NirsDbContext db, WriteGate gate, IBackgroundJobClient jobs)
    {
        var (ride, refused) = await FindAsync(rideId, user, access);
        if (refused is not null) return refused;
        if (ride!.GivenEffortsJson is null) return TypedResults.Ok(RideEndpoints.ToDto(ride));
        var stored = await StoreAsync(db, gate, rideId, null);
        if (stored is null) return Problems.RideNotFound(rideId);
        jobs.Enqueue<ReanalyzeJob>(job => job.RunRideAsync(stored.AthleteId, rideId));
        return TypedResults.Accepted($"/api/rides/{rideId}", RideEndpoints.ToDto(stored));
    }

    /// <summary>
    /// The ride if the viewer may see it (else 404, as for reading, so someone else's ride stays unknown) and may change
    /// it (a coach of the athlete, or a self-coached rider's own sign-in; else 403).
    /// </summary>
    private static async Task<(Ride? Ride, ProblemHttpResult? Refused)> FindAsync(Guid rideId, ClaimsPrincipal user, AccessControl access)
    {
        var viewer = Viewer.From(user)!;
        var ride = await access.VisibleRides(viewer).AsNoTracking().FirstOrDefaultAsync(r => r.Id == rideId);
        if (ride is null) return (null, Problems.RideNotFound(rideId));
        if (!viewer.IsCoach) return (null, Problems.Forbidden(CoachOnly));
        return (ride, null);
    }

    private static Task<Ride?> StoreAsync(NirsDbContext db, WriteGate gate, Guid rideId, string? json) =>
        gate.RunAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var row = await db.Rides.FirstOrDefaultAsync(r => r.Id == rideId);
            if (row is null) return null;
            row.GivenEffortsJson = json;
            await db.SaveChangesAsync();
            return row;
        }, upload: false);
}
