using Microsoft.AspNetCore.Http.HttpResults;

namespace NirsSync.Server.Http;

/// <summary>The ProblemDetails answers the reading API shares.</summary>
internal static class Problems
{
    public static ProblemHttpResult AthleteNotFound(Guid id) =>
        TypedResults.Problem(title: "Athlete not found", detail: $"no athlete {id} that you may see", statusCode: 404);

    public static ProblemHttpResult RideNotFound(Guid id) =>
        TypedResults.Problem(title: "Ride not found", detail: $"no ride {id} that you may see", statusCode: 404);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Forbidden", detail: detail, statusCode: 403);

    public static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: 400);
}
