using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NirsSync.Analysis;

namespace NirsSync.Data.Documents;

/// <summary>
/// The one notion of week: the ISO week of a ride's start in the athlete's time zone, as the weekly
/// trends count it (<see cref="WeeklyTrends.IsoWeekOf"/>); a week is named by its Monday.
/// </summary>
public static class Weeks
{
    /// <summary>The Monday of the ISO week containing <paramref name="time"/> in <paramref name="timeZone"/>.</summary>
    public static DateOnly WeekOf(DateTimeOffset time, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        var (year, week) = WeeklyTrends.IsoWeekOf(time, timeZone);
        return DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
    }

    public static string IsoWeek(DateOnly monday) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(monday.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):00}");
}

/// <summary>Keeps <c>Ride.WeekStart</c> on the athlete's ISO weeks when the time zone changes or rows were written by an older version.</summary>
public static class RideWeeks
{
    /// <summary>
    /// Sets the week of every ride of <paramref name="athleteId"/> (every athlete when null) whose stored
    /// week differs from its ISO week in the athlete's time zone; returns how many rides changed. Run
    /// inside the write gate.
    /// </summary>
    public static async Task<int> RecomputeAsync(NirsDbContext db, Guid? athleteId, CancellationToken cancellationToken = default)
    {
        var athletes = await db.Athletes.AsNoTracking().Where(a => athleteId == null || a.Id == athleteId)
            .Select(a => new { a.Id, a.TimeZone }).ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var athlete in athletes)
        {
            var zone = AthleteTimeZones.Find(athlete.TimeZone);
            var rides = await db.Rides.AsNoTracking().Where(r => r.AthleteId == athlete.Id)
                .Select(r => new { r.Id, r.StartTime, r.WeekStart }).ToListAsync(cancellationToken);
            foreach (var group in rides.Select(r => (r.Id, Week: Weeks.WeekOf(r.StartTime, zone), r.WeekStart))
                         .Where(r => r.Week != r.WeekStart).GroupBy(r => r.Week))
            {
                var ids = group.Select(r => r.Id).ToList();
                var week = group.Key;
                changed += await db.Rides.Where(r => ids.Contains(r.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.WeekStart, week), cancellationToken);
            }
        }
        return changed;
    }
}
