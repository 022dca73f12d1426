using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace NirsSync.Server.Security;

/// <summary>
/// ASP.NET Core's rate limiter on the routes worth abusing: sign-in, upload and token changes. Each is limited per
/// account (the athlete or coach the request authenticated as) and per client address, in fixed one-minute windows
/// whose sizes come from <see cref="RateLimitOptions"/>. A refused request gets 429, a Retry-After header and a
/// ProblemDetails body saying when to try again. Failed sign-ins per account and address are counted by
/// <see cref="SignInThrottle"/> (the account is in the body, which a limiter cannot read).
/// </summary>
public static partial class RateLimits
{
    public enum Route { None, SignIn, Upload, Tokens }

    public static IServiceCollection AddNirsRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                return new ValueTask(WriteTooManyAsync(context.HttpContext, retry, "too many requests of this kind from this account or address"));
            };
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, byAccount: true)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, byAccount: false)));
        });
        return services;
    }

    /// <summary>Answers 429 with Retry-After (whole seconds, at least 1) and a ProblemDetails body.</summary>
    public static Task WriteTooManyAsync(HttpContext http, TimeSpan retryAfter, string what)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(title: "Too many requests", detail: $"{what}; try again in {seconds} s",
            statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
    }

    /// <summary>Which limited route a request is on (by method and path, so the feature folders stay unaware of it).</summary>
    public static Route Classify(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsPost(request.Method))
        {
            if (path.Equals("/api/auth/login", StringComparison.OrdinalIgnoreCase) || path.Equals("/login", StringComparison.OrdinalIgnoreCase))
                return Route.SignIn;
            // Accepting an invite sets a password and signs in: limited like the sign-in.
            if (path.StartsWith("/invite/", StringComparison.OrdinalIgnoreCase)) return Route.SignIn;
            if (path.TrimEnd('/').Equals("/api/uploads", StringComparison.OrdinalIgnoreCase)) return Route.Upload;
        }
        if ((HttpMethods.IsPost(request.Method) || HttpMethods.IsDelete(request.Method)) && TokenPath().IsMatch(path))
            return Route.Tokens;
        return Route.None;
    }

    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> Partition(HttpContext http, bool byAccount)
    {
        var route = Classify(http.Request);
        if (route == Route.None) return RateLimitPartition.GetNoLimiter("none");
        var limits = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RateLimits;
        string? key;
        int permits;
        if (byAccount)
        {
            // The sign-in route's account is in the body: SignInThrottle counts its failures instead.
            key = route == Route.SignIn ? null : Account(http.User);
            permits = route == Route.Upload ? limits.UploadsPerAthletePerMinute : limits.TokenChangesPerAccountPerMinute;
        }
        else
        {
            key = Address(http);
            permits = route switch
            {
                Route.SignIn => limits.SignInPerAddressPerMinute,
                Route.Upload => limits.UploadsPerAddressPerMinute,
                _ => limits.TokenChangesPerAddressPerMinute,
            };
        }
        if (key is null) return RateLimitPartition.GetNoLimiter("anonymous");
        return RateLimitPartition.GetFixedWindowLimiter($"{route}:{(byAccount ? "account" : "address")}:{key}:{permits}",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
            });
    }

    /// <summary>The athlete (upload token) or coach the request authenticated as; null when anonymous.</summary>
    private static string? Account(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated != true ? null
            : user.FindFirst(AthleteClaim)?.Value is { } athlete ? "athlete:" + athlete
            : user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } coach ? "coach:" + coach
            : null;

    /// <summary>The upload-token scheme's athlete claim (Auth/Viewer.AthleteClaim; spelled here so this folder depends on none).</summary>
    public const string AthleteClaim = "nirs:athlete";

    [GeneratedRegex("^/api/athletes/[^/]+/(tokens|invites)(/[^/]+)?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPath();
}

/// <summary>
/// Counts failed sign-ins per (client address, account) in a fixed window. Past the limit that address may not
/// try that account until the window ends (429); other addresses and other accounts are unaffected, so nobody can
/// lock a coach out from elsewhere. Unknown accounts are counted exactly like known ones.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public SignInThrottle(IOptions<SecurityOptions> options)
    {
        var limits = options.Value.RateLimits;
        _failures = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, limits.SignInFailuresPerAccountAndAddress),
                Window = TimeSpan.FromMinutes(Math.Max(0.01, limits.SignInFailureWindowMinutes)),
                QueueLimit = 0, AutoReplenishment = true,
            }));
    }

    /// <summary>How long the address must wait before trying the account again; null when it may try now.</summary>
    public TimeSpan? Blocked(string address, string email)
    {
        using var lease = _failures.AttemptAcquire(Key(address, email), 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
    }

    public void Failed(string address, string email)
    {
        using var _ = _failures.AttemptAcquire(Key(address, email));
    }

    private static string Key(string address, string email) => address + "\n" + email.Trim().ToUpperInvariant();

    public void Dispose() => _failures.Dispose();
}
