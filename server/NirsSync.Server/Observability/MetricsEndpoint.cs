using System.Security.Cryptography;
using System.Text;

namespace NirsSync.Server.Observability;

/// <summary>
/// <c>GET /metrics</c> (Prometheus text format, <see cref="NirsMetrics"/>): for an admin coach's session, or for a
/// scraper that sends <c>Authorization: Bearer &lt;NirsSync:MetricsToken&gt;</c>. The token is compared in constant
/// time; with no token configured, scraping by token is off (a bearer answers 401). No credentials: 401; a signed-in
/// coach who is not an admin: 403. Every role serves it (a worker node included).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The setting holding the scrape token (environment: <c>NirsSync__MetricsToken</c>).</summary>
    public const string TokenSetting = "NirsSync:MetricsToken";

    public static void Map(WebApplication app)
    {
        var token = app.Configuration[TokenSetting] is { Length: > 0 } t ? Digest(t) : null;
        // The exporter runs in a branch of its own; the check goes first in that branch. Authorization is this check's
        // (the endpoint itself allows anonymous callers, so that a scraper without a session reaches it).
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null,
            configureBranchedPipeline: branch => branch.Use((context, next) => AllowedAsync(context, token, next)),
            optionsName: null).AllowAnonymous();
    }

    private static async Task AllowedAsync(HttpContext context, byte[]? token, Func<Task> next)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            if (token is null)
            {
                await Refuse(context, 401, $"scraping by token is off: set {TokenSetting} (or sign in as an admin coach)");
                return;
            }
            // Digests of equal length, compared in constant time: neither the token nor its length leaks by timing.
            if (!CryptographicOperations.FixedTimeEquals(Digest(header["Bearer ".Length..].Trim()), token))
            {
                await Refuse(context, 401, "wrong metrics token");
                return;
            }
            await next();
            return;
        }
        if (context.User.HasClaim(Auth.Viewer.AdminClaim, "true"))
        {
            await next();
            return;
        }
        if (context.User.Identity?.IsAuthenticated == true)
            await Refuse(context, 403, "only an admin coach (or a scraper with the metrics token) reads the metrics");
        else
            await Refuse(context, 401, "send 'Authorization: Bearer <metrics token>' or sign in as an admin coach");
    }

    private static byte[] Digest(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private static Task Refuse(HttpContext context, int status, string detail)
    {
        if (status == 401) context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(title: status == 401 ? "Unauthorized" : "Forbidden", detail: detail, statusCode: status)
            .ExecuteAsync(context);
    }
}
