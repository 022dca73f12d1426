using NirsSync.Fit.Synthetic;

namespace NirsSync.Server.Demo;

/// <summary>
/// The demo's riding: twelve weeks, three one-hour interval rides a week per athlete, vastus lateralis
/// left and right. Lena stays balanced; Tom is balanced for nine weeks, then his right leg takes a
/// growing share of the work: the asymmetry of SmO2 P50 jumps from about 2 % to 14 % and grows to
/// about 20 %, beyond the 10 % noise band, so the weekly trend flags each of the last three weeks.
/// </summary>
public static class DemoPlan
{
    public const string CoachEmail = "coach@demo.nirssync";
    public const string CoachPassword = "demo-coach-password";
    public const int Weeks = 12;
    public static readonly int[] RideDays = [1, 3, 5];

    public sealed record DemoAthlete(string Name, int Seed, double ThresholdPower, Func<int, double> RightLoad);

    public static readonly DemoAthlete[] Athletes =
    [
        new("Lena Berg", 1000, 245, _ => 1.0),
        new("Tom Kraus", 2000, 290, week => week < 9 ? 1.0 : 1.7 + 0.15 * (week - 9)),
    ];

    /// <summary>The rides of one athlete: week 0 is eleven weeks before the week of <paramref name="now"/>.</summary>
    public static IEnumerable<SyntheticRideOptions> Rides(DemoAthlete athlete, DateTimeOffset now)
    {
        var today = now.UtcDateTime.Date;
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var first = new DateTimeOffset(monday.AddDays(-7 * (Weeks - 1)), TimeSpan.Zero);
        for (var week = 0; week < Weeks; week++)
            for (var r = 0; r < RideDays.Length; r++)
            {
                var start = first.AddDays(week * 7 + RideDays[r] - 1).AddHours(6 + r);
                if (start > now) yield break;
                var seed = athlete.Seed + week * 10 + r;
                yield return new SyntheticRideOptions
                {
                    Start = start,
                    Seed = seed,
                    Duration = TimeSpan.FromMinutes(60),
                    ThresholdPower = athlete.ThresholdPower + week * 1.5,
                    IntervalSeconds = 240,
                    Sensors =
                    [
                        new SyntheticSensor(21001, 1, 1) { RestingSmO2 = 70 },
                        new SyntheticSensor(21002, 1, 2) { RestingSmO2 = 69, Load = athlete.RightLoad(week) },
                    ],
                };
            }
    }
}
