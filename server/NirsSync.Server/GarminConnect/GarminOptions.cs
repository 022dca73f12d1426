namespace NirsSync.Server.GarminConnect;

/// <summary>Configuration section "NirsSync:Garmin".</summary>
public sealed class GarminOptions
{
    public const string Section = "NirsSync:Garmin";

    /// <summary>
    /// When set, a notification must carry this value in its "garmin-client-id" header (Garmin sends the
    /// partner's consumer key/client id there); others are answered 401.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The shared secret that authenticates Garmin's pushes. The push endpoint is off (401) until it is set. Garmin's
    /// developer portal takes an endpoint URL per summary type, so the secret goes into that URL as a last path
    /// segment (POST /api/garmin/activity-files/{secret}); a proxy or test may send it as the
    /// "X-NirsSync-Webhook-Secret" header instead. Use 32 random characters or more (docs/security.md).
    /// </summary>
    public string? WebhookSecret { get; set; }

    public const string WebhookSecretHeader = "X-NirsSync-Webhook-Secret";

    /// <summary>Largest notification body accepted (413 past it). Garmin's pings are a few kilobytes.</summary>
    public long MaxPingBytes { get; set; } = 1024 * 1024;

    /// <summary>Most activity files plus deregistrations in one notification (413 past it).</summary>
    public int MaxPingEntries { get; set; } = 500;

    /// <summary>Redirects a callback download may follow, each only to an allowed callback prefix.</summary>
    public int MaxRedirects { get; set; } = 3;

    /// <summary>Garmin's API host, where every real callback URL points.</summary>
    public const string GarminApiPrefix = "https://apis.garmin.com/";

    /// <summary>
    /// Callback URLs are fetched only when they start with one of these prefixes, so a forged
    /// notification cannot make the server fetch arbitrary addresses. Empty: <see cref="GarminApiPrefix"/>.
    /// </summary>
    public string[] AllowedCallbackPrefixes { get; set; } = [];

    public IReadOnlyList<string> CallbackPrefixes => AllowedCallbackPrefixes.Length > 0 ? AllowedCallbackPrefixes : [GarminApiPrefix];

    /// <summary>Fetch attempts before a file is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the first retry; doubled for each further one.</summary>
    public double RetryBaseSeconds { get; set; } = 30;

    /// <summary>Longest wait between two retries.</summary>
    public double RetryMaxSeconds { get; set; } = 3600;

    /// <summary>Timeout of one callback download.</summary>
    public double FetchTimeoutSeconds { get; set; } = 100;

    public TimeSpan RetryDelay(int attempts)
    {
        var seconds = RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempts - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, RetryMaxSeconds));
    }

    public bool IsAllowedCallback(Uri url) => CallbackPrefixes.Any(p =>
        url.AbsoluteUri.StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
