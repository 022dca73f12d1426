using System.Globalization;

namespace NirsSync.Data.Documents;

/// <summary>The week a ride is counted in and the ISO week label the exports print.</summary>
public static class Weeks
{
    /// <summary>The Monday (UTC) of the ISO week containing <paramref name="time"/>.</summary>
    public static DateOnly WeekOf(DateTimeOffset time)
    {
        var day = DateOnly.FromDateTime(time.UtcDateTime);
        var shift = ((int)day.DayOfWeek + 6) % 7;
        return day.AddDays(-shift);
    }

    public static string IsoWeek(DateOnly monday) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(monday.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):00}");
}
