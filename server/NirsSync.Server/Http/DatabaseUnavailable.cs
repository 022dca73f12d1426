using Microsoft.AspNetCore.Diagnostics;
using NirsSync.Data;

namespace NirsSync.Server.Http;

/// <summary>
/// A request that fails because the database is unreachable (a PostgreSQL node restarting, a network cut, SQLite's
/// file unavailable) answers 503 with Retry-After and a ProblemDetails body instead of a 500: nothing was
/// acknowledged, so the client (the CLI's durable queue, the Connect IQ field, Garmin) sends it again later. The
/// node recovers by itself: the next request opens a new connection.
/// </summary>
internal sealed class DatabaseUnavailable(IProblemDetailsService problems, ILogger<DatabaseUnavailable> log) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DataServices.IsUnreachable(exception) || context.Response.HasStarted) return false;
        Observability.NirsMetrics.DatabaseErrors.Add(1);
        log.LogWarning("Database unavailable during {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path,
            exception.GetBaseException().Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = $"the server cannot reach its database; nothing was stored, try again in {RetryAfterSeconds} s",
            },
        });
    }
}
