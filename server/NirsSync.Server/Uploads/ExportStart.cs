using System.Globalization;

namespace NirsSync.Server.Uploads;

/// <summary>
/// The start of a sensor export that states no date (VO2 Master, PerfPro), given with the upload as the query
/// parameter <c>start</c> or the header <c>X-Export-Start</c>: an ISO 8601 instant with its UTC offset
/// (<c>2026-02-06T13:17:13+01:00</c> or <c>...Z</c>). It also wins over a file's own date (a wrong sensor clock).
/// </summary>
internal static class ExportStart
{
    public const string Query = "start";
    public const string Header = "X-Export-Start";

    private static readonly string[] Formats =
        ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];

    /// <summary>The start the request gives (null without one), or why it cannot be used.</summary>
    public static (DateTimeOffset? Start, string? Error) Parse(HttpRequest request)
    {
        string? text = request.Query[Query];
        var source = $"?{Query}=";
        if (string.IsNullOrEmpty(text))
        {
            text = request.Headers[Header];
            source = Header;
        }
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        text = text.Trim();
        if (text.Length > 40) return (null, $"{source} is longer than 40 characters: give an ISO 8601 time such as 2026-02-06T13:17:13+01:00");
        if (!DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            return (null, $"{source} '{text}' is not an ISO 8601 time with its UTC offset, such as 2026-02-06T13:17:13+01:00 or 2026-02-06T12:17:13Z"
                + " (in a query string write + as %2B)");
        if (!HasOffset(text))
            return (null, $"{source} '{text}' has no UTC offset: add it (+01:00) or Z");
        if (start.Year < 1990 || start > DateTimeOffset.UtcNow.AddDays(2))
            return (null, $"{source} '{text}' is not a plausible recording start (from 1990 up to now)");
        return (start, null);
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
