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
