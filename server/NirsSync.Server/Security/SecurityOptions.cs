namespace NirsSync.Server.Security;

/// <summary>The security settings of section "NirsSync" (docs/security.md says what an operator sets).</summary>
public sealed class SecurityOptions
{
    public const string Section = "NirsSync";

    /// <summary>
    /// Behind a TLS-terminating reverse proxy: honour X-Forwarded-For and X-Forwarded-Proto from the proxies in
    /// <see cref="KnownProxies"/> (loopback when empty), so cookies are Secure, HSTS is sent and rate limits key
    /// on the client's address rather than the proxy's.
    /// </summary>
    public bool ForwardedHeaders { get; set; }

    /// <summary>IP addresses of the trusted reverse proxies; loopback only when empty.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form (e.g. 10.0.0.0/8).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Slowest request body Kestrel accepts after its grace period (bytes per second); stalled clients are cut off.</summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 1024;

    /// <summary>Seconds a request body may be slower than <see cref="MinRequestBodyBytesPerSecond"/> at its start.</summary>
    public double MinRequestBodyGraceSeconds { get; set; } = 10;

    public RateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>"NirsSync:RateLimits": requests allowed per window; past them the answer is 429 with Retry-After.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Sign-in attempts (POST /api/auth/login and /login) per client address per minute, right or wrong.</summary>
    public int SignInPerAddressPerMinute { get; set; } = 20;

    /// <summary>Failed sign-ins for one account from one address per <see cref="SignInFailureWindowMinutes"/>.</summary>
    public int SignInFailuresPerAccountAndAddress { get; set; } = 10;

    public double SignInFailureWindowMinutes { get; set; } = 15;

    /// <summary>Uploads (POST /api/uploads) per athlete per minute: a sync agent emptying a backlog stays far below.</summary>
    public int UploadsPerAthletePerMinute { get; set; } = 1200;

    /// <summary>Uploads per client address per minute (all athletes and failed tokens together).</summary>
    public int UploadsPerAddressPerMinute { get; set; } = 2400;

    /// <summary>Token issues and revocations per account per minute.</summary>
    public int TokenChangesPerAccountPerMinute { get; set; } = 30;

    /// <summary>Token issues and revocations per client address per minute.</summary>
    public int TokenChangesPerAddressPerMinute { get; set; } = 60;
}
