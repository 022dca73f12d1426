using System.Globalization;
using System.Text.RegularExpressions;

namespace NirsSync.SensorExports;

/// <summary>Wall-clock rules shared by the readers: local times in the athlete's zone, years for dates without one.</summary>
internal static partial class ExportTime
{
    /// <summary>The instant of a local wall-clock time in <paramref name="zone"/> (an ambiguous time takes the standard offset, a skipped one the offset before the gap).</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local, before);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// The year that puts month/day/time of day closest before <paramref name="reference"/> in <paramref name="zone"/>
    /// (29 February goes back to the last leap year).
    /// </summary>
    public static int YearBefore(int month, int day, TimeSpan timeOfDay, DateTimeOffset reference, TimeZoneInfo zone)
    {
        var refYear = TimeZoneInfo.ConvertTime(reference, zone).Year + 1;
        for (var y = refYear; y > refYear - 9; y--)
        {
            if (day > DateTime.DaysInMonth(y, month)) continue;
            if (ToInstant(new DateTime(y, month, day).Add(timeOfDay), zone) <= reference) return y;
        }
        throw new SensorExportException($"no year puts {day:00}-{month:00} before {reference:O}");
    }

    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>"06-Feb" (also "6-Feb", "Feb-06", "06-02") as (month, day), or null.</summary>
    public static (int Month, int Day)? DayMonth(ReadOnlySpan<char> text)
    {
        var t = text.Trim();
        var dash = t.IndexOfAny('-', '/');
        if (dash <= 0 || dash == t.Length - 1) return null;
        ReadOnlySpan<char> a = t[..dash], b = t[(dash + 1)..];
        if (Month(b) is { } m1 && int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var d1)) return Valid(m1, d1);
        if (Month(a) is { } m2 && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var d2)) return Valid(m2, d2);
        // The header says mm-dd: numbers are month then day.
        if (int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var mm)
            && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var dd)) return Valid(mm, dd);
        return null;
    }

    private static (int, int)? Valid(int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, month) ? (month, day) : null;

    private static int? Month(ReadOnlySpan<char> s)
    {
        if (s.Length < 3) return null;
        for (var i = 0; i < 12; i++)
            if (s[..3].Equals(MonthNames[i], StringComparison.OrdinalIgnoreCase)) return i + 1;
        return null;
    }

    /// <summary>"13:17:13", "0:29:00.41", "1:02" (minutes:seconds is not guessed: two parts are h:mm) as a time span, or null.</summary>
    public static TimeSpan? Clock(ReadOnlySpan<char> text)
    {
        var t = text.Trim();
        Span<Range> parts = stackalloc Range[4];
        var n = t.Split(parts, ':');
        if (n is < 2 or > 3) return null;
        if (!int.TryParse(t[parts[0]], NumberStyles.None, CultureInfo.InvariantCulture, out var h)) return null;
        if (!int.TryParse(t[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m > 59) return null;
        double s = 0;
        if (n == 3 && (!double.TryParse(t[parts[2]], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out s) || s >= 61)) return null;
        return TimeSpan.FromHours(h) + TimeSpan.FromMinutes(m) + TimeSpan.FromTicks((long)Math.Round(s * TimeSpan.TicksPerSecond));
    }

    [GeneratedRegex(@"(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s*m\.?)?", RegexOptions.IgnoreCase)]
    private static partial Regex SessionPattern();

    /// <summary>"Session at 2025-05-06 2:15 p.m." as a local date and time, or null.</summary>
    public static DateTime? SessionDate(string text)
    {
        var m = SessionPattern().Match(text);
        if (!m.Success) return null;
        int G(int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        var (year, month, day, hour, minute) = (G(1), G(2), G(3), G(4), G(5));
        var second = m.Groups[6].Success ? G(6) : 0;
        if (m.Groups[7].Success)
        {
            if (hour is < 1 or > 12) return null;
            var pm = char.ToLowerInvariant(m.Groups[7].Value[0]) == 'p';
            hour = hour % 12 + (pm ? 12 : 0);
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
        return new DateTime(year, month, day, hour, minute, second);
    }

    /// <summary>An Excel serial day number (1900 date system) as a date, or null outside 1900..9999.</summary>
    public static DateTime? ExcelDay(double serial)
    {
        if (!(serial >= 1 && serial < 2_958_466)) return null;
        return new DateTime(1899, 12, 30).AddDays(Math.Floor(serial));
    }
}
