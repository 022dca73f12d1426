using NirsSync.Data.Documents;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Server.Demo;

/// <summary>
/// The demo's riding, week by week, for <c>--seed-demo</c> (default two athletes, twelve weeks; <c>--demo-athletes N
/// --demo-weeks W</c> scale it). Three rides a week of real variety: Tuesday intervals (45-75 min; 5×4 or 4×8 min),
/// Thursday endurance (1.5-2.5 h; every sixth week an indoor 20-minute test instead), Saturday a long ride with climbs
/// (2.5-4 h; every fourth week a race instead). Outdoor rides carry sensor noise, single-sample dropouts and contact
/// gaps of 5-40 s; indoor rides hold power like an ergometer. Vastus lateralis left and right on every ride.
/// <list type="bullet">
/// <item>Tom is balanced until three weeks before the end, then his right leg takes a growing share of the work: the
/// asymmetry of SmO2 P50 leaves its noise band and keeps growing (a dysbalance).</item>
/// <item>Lena is balanced, re-tapes her left sensor in the third week of twelve (its resting SmO2 and tHb level step: a
/// placement change, recorded by her coach in the sensor map, so the new placement's first six weeks are her new balance
/// reference), and in the last four weeks her right leg responds later and later to the work (lag 6 → 24 s: a dysharmony).</item>
/// <item>Further athletes (N &gt; 2) are balanced or, every third one, develop a dysbalance of their own.</item>
/// </list>
/// Every athlete takes a resting spot check each Monday morning (<see cref="SpotChecks"/>), posted through the real
/// spot-check route; Lena's coach records her re-taped sensor in the sensor map (<see cref="SensorMap"/>).
/// </summary>
public static class DemoPlan
{
    public const string CoachEmail = "coach@demo.nirssync";
    public const string CoachPassword = "demo-coach-password";
    /// <summary>Riders of the demo sign in with their first name: lena@demo.nirssync, tom@demo.nirssync.</summary>
    public const string RiderPassword = "demo-rider-password";
    public const int Weeks = 12;
    public static readonly int[] RideDays = [1, 3, 5];

    /// <summary>
    /// One demo athlete. <paramref name="RightLoad"/> and <paramref name="RightLag"/> take (week, weeks) and give the right
    /// leg's share of the work and its response lag in s; from <paramref name="PlacementChangeWeek"/> on the left sensor sits elsewhere.
    /// </summary>
    public sealed record DemoAthlete(string Name, int Seed, double ThresholdPower, Func<int, int, double> RightLoad,
        Func<int, int, int>? RightLag = null, Func<int, int?>? PlacementChangeWeek = null)
    {
        public string Email => $"{Name.Split(' ')[0].ToLowerInvariant()}@demo.nirssync";
    }

    public static readonly DemoAthlete[] Athletes =
    [
        new("Lena Berg", 1000, 245, (_, _) => 1.0, RightLag: (week, weeks) => week < weeks - 4 ? 0 : 6 * (week - (weeks - 4) + 1),
            PlacementChangeWeek: weeks => weeks / 6),
        new("Tom Kraus", 2000, 290, (week, weeks) => week < weeks - 3 ? 1.0 : 1.7 + 0.15 * (week - (weeks - 3))),
    ];

    private static readonly string[] FirstNames = ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Katrin", "Lukas", "Marie", "Nils", "Olga", "Paul", "Rosa", "Simon", "Tina", "Uwe"];
    private static readonly string[] LastNames = ["Adler", "Brandt", "Claus", "Dorn", "Engel", "Fink", "Graf", "Hahn", "Imhof", "Jung", "Koch", "Lang", "Maier", "Noll", "Otto"];

    /// <summary>The demo's athletes: Lena and Tom first, then generated riders up to <paramref name="count"/>.</summary>
    public static IReadOnlyList<DemoAthlete> Team(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "the demo needs at least one athlete");
        var team = Athletes.Take(count).ToList();
        for (var i = team.Count; i < count; i++)
        {
            var name = $"{FirstNames[i % FirstNames.Length]} {LastNames[i * 7 % LastNames.Length]}{(i >= FirstNames.Length ? $" {i / FirstNames.Length + 1}" : "")}";
            var onset = 4 + i % 5;
            team.Add(i % 3 == 0
                ? new DemoAthlete(name, 3000 + 17 * i, 200 + i * 7 % 120, (week, weeks) => week < weeks - onset ? 1.0 : 1.2 + 0.05 * (week - (weeks - onset)))
                : new DemoAthlete(name, 3000 + 17 * i, 200 + i * 7 % 120, (_, _) => 1.0));
        }
        return team;
    }

    /// <summary>The rides of one athlete: week 0 is <paramref name="weeks"/> − 1 weeks before the week of <paramref name="now"/>.</summary>
    public static IEnumerable<SyntheticRideOptions> Rides(DemoAthlete athlete, DateTimeOffset now, int weeks = Weeks)
    {
        if (weeks < 1) throw new ArgumentOutOfRangeException(nameof(weeks), weeks, "the demo needs at least one week");
        var first = FirstMonday(now, weeks);
        var moved = athlete.PlacementChangeWeek?.Invoke(weeks);
        for (var week = 0; week < weeks; week++)
            for (var r = 0; r < RideDays.Length; r++)
            {
                var start = first.AddDays(week * 7 + RideDays[r] - 1).AddHours(6 + r);
                if (start > now) yield break;
                var seed = athlete.Seed + week * 10 + r;
                var random = new Random(seed * 31 + 7);
                var ftp = athlete.ThresholdPower + week * 1.5;
                var kind = Kind(week, r);
                var indoor = kind == RideKind.IndoorTest;
                var leftMoved = moved is { } m && week >= m;
                var options = new SyntheticRideOptions
                {
                    Start = start,
                    Seed = seed,
                    ThresholdPower = ftp,
                    DropoutRate = indoor ? 0.001 : 0.003,
                    GapRate = indoor ? 0 : 0.0004,
                    PowerNoise = indoor ? 4 : 14,
                    Sensors =
                    [
                        new SyntheticSensor(LeftSensor, 1, 1) { RestingSmO2 = leftMoved ? 63 : 70, RestingTHb = leftMoved ? 13.6 : 12.4, NoiseSmO2 = 0.7 },
                        new SyntheticSensor(RightSensor, 1, 2)
                        {
                            // The over-used leg desaturates deeper in work; its resting level stays (a step of the whole level
                            // in one sensor reads as a re-taped sensor, docs/reading-flags.md).
                            RestingSmO2 = 69, Load = athlete.RightLoad(week, weeks), LagSeconds = athlete.RightLag?.Invoke(week, weeks) ?? 0, NoiseSmO2 = 0.7,
                        },
                    ],
                };
                yield return kind switch
                {
                    RideKind.Intervals => options with
                    {
                        Duration = TimeSpan.FromMinutes(week % 3 == 2 ? 45 : 60 + 15 * (week % 2)),
                        IntervalSeconds = week % 2 == 0 ? 240 : 480,
                        RecoverySeconds = week % 2 == 0 ? 180 : 240,
                        WarmUpSeconds = week % 3 == 2 ? 480 : 600,
                    },
                    RideKind.IndoorTest => Profiled(options, TimeSpan.FromMinutes(60), TwentyMinuteTest),
                    RideKind.Endurance => Profiled(options, TimeSpan.FromMinutes(90 + 15 * random.Next(5)), (t, n) => Endurance(t, n, seed)),
                    RideKind.Long => Profiled(options, TimeSpan.FromMinutes(150 + 15 * random.Next(7)), (t, n) => Climbs(t, n, seed)),
                    _ => Profiled(options, TimeSpan.FromMinutes(95 + 5 * random.Next(6)), (t, n) => Race(t, n, seed)),
                };
            }
    }

    /// <summary>Monday 00:00 UTC of the demo's first week (week 0).</summary>
    public static DateTimeOffset FirstMonday(DateTimeOffset now, int weeks)
    {
        var today = now.UtcDateTime.Date;
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return new DateTimeOffset(monday.AddDays(-7 * (weeks - 1)), TimeSpan.Zero);
    }

    /// <summary>The sensors' ANT device numbers on every demo ride: vastus lateralis left and right.</summary>
    public const int LeftSensor = 21001, RightSensor = 21002;

    /// <summary>
    /// The coach's sensor map, for an athlete whose left sensor moves: the first placement until the Monday of the move,
    /// the second from it, each with a note (the dashboard marks both on the time axis); null for the others (the data
    /// field's own labels apply).
    /// </summary>
    public static IReadOnlyList<SensorMapEntry>? SensorMap(DemoAthlete athlete, DateTimeOffset now, int weeks = Weeks)
    {
        if (athlete.PlacementChangeWeek?.Invoke(weeks) is not { } week || week <= 0 || week >= weeks) return null;
        var moved = FirstMonday(now, weeks).AddDays(7 * week);
        return
        [
            new SensorMapEntry(LeftSensor, 1, 1) { To = moved, Note = "first placement: mid-thigh, two thirds from hip to knee" },
            new SensorMapEntry(LeftSensor, 1, 1) { From = moved, Note = "re-taped 3 cm higher after a crash (new baseline)" },
            new SensorMapEntry(RightSensor, 1, 2),
        ];
    }

    /// <summary>
    /// Resting spot checks: every Monday at 07:00, seated, one sensor held on vastus lateralis left and right (resting
    /// SmO2 and tHb near the ride sensors' resting levels, ±1.5 % and ±0.3 g/dL of measurement scatter) and, every other
    /// week, on the medial and lateral gastrocnemius of both legs (medial a few points below lateral). Lena's left value
    /// follows her re-taped sensor; the leg that takes over the work rests 1-4 points lower while the dysbalance grows.
    /// </summary>
    public static IEnumerable<SpotCheckRequest> SpotChecks(DemoAthlete athlete, DateTimeOffset now, int weeks = Weeks)
    {
        var first = FirstMonday(now, weeks);
        var moved = athlete.PlacementChangeWeek?.Invoke(weeks);
        for (var week = 0; week < weeks; week++)
        {
            var at = first.AddDays(7 * week).AddHours(7);
            if (at > now) yield break;
            var random = new Random(athlete.Seed * 13 + week);
            double Scatter(double sd) => Math.Round(sd * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2, 1);
            var leftMoved = moved is { } m && week >= m;
            var overuse = Math.Clamp((athlete.RightLoad(week, weeks) - 1) * 5, 0, 4);
            var entries = new List<SpotCheckEntry?>
            {
                new("vastus_lateralis", "left", Math.Round((leftMoved ? 63 : 70) + Scatter(1.5), 1), Math.Round((leftMoved ? 13.6 : 12.4) + Scatter(0.3), 2)),
                new("vastus_lateralis", "right", Math.Round(69 - overuse + Scatter(1.5), 1), Math.Round(12.4 + Scatter(0.3), 2)),
            };
            if (week % 2 == 0)
                foreach (var side in new[] { "left", "right" })
                {
                    entries.Add(new("gastrocnemius_medial_head", side, Math.Round(58 + Scatter(1.5), 1), Math.Round(11.6 + Scatter(0.3), 2)));
                    entries.Add(new("gastrocnemius_lateral_head", side, Math.Round(63 + Scatter(1.5), 1), Math.Round(11.9 + Scatter(0.3), 2)));
                }
            yield return new SpotCheckRequest(at, "rest", week % 2 == 0 ? "Monday morning, seated, thighs and calves" : "Monday morning, seated", entries);
        }
    }

    public enum RideKind { Intervals, Endurance, IndoorTest, Long, Race }

    public static RideKind Kind(int week, int ride) => ride switch
    {
        0 => RideKind.Intervals,
        1 => week % 6 == 1 ? RideKind.IndoorTest : RideKind.Endurance,
        _ => week % 4 == 3 ? RideKind.Race : RideKind.Long,
    };

    private static SyntheticRideOptions Profiled(SyntheticRideOptions o, TimeSpan duration, Func<int, int, double> profile)
    {
        var seconds = (int)duration.TotalSeconds;
        // Computed once so that the profile's own randomness is the same whatever order the generator asks in.
        var plan = new double[seconds];
        for (var t = 0; t < seconds; t++) plan[t] = profile(t, seconds);
        return o with { Duration = duration, PowerProfile = (t, _) => plan[Math.Clamp(t, 0, seconds - 1)] };
    }

    /// <summary>15 min warm-up with three 1-min openers, 20 min at threshold, cool-down.</summary>
    private static double TwentyMinuteTest(int t, int total) => t switch
    {
        < 900 => t is >= 480 and < 540 or >= 600 and < 660 or >= 720 and < 780 ? 1.15 : 0.6,
        < 1200 => 0.5,
        < 2400 => 1.02,
        _ => 0.45,
    };

    /// <summary>Steady riding at 62-74 % of threshold with slow drift and rare short rises.</summary>
    private static double Endurance(int t, int total, int seed)
    {
        var drift = 0.06 * Math.Sin(2 * Math.PI * t / 1500.0 + seed);
        var rise = (t / 300 * 7919 + seed) % 11 == 0 && t % 300 < 60 ? 0.25 : 0;
        var warm = t < 600 ? -0.1 : t > total - 300 ? -0.15 : 0;
        return 0.68 + drift + rise + warm;
    }

    /// <summary>Endurance with climbs of 6-12 min at 85-95 % of threshold every 25-40 min.</summary>
    private static double Climbs(int t, int total, int seed)
    {
        var block = t / 1800;
        var inBlock = t % 1800;
        var climb = 360 + (block * 37 + seed) % 7 * 60;
        var onClimb = t > 900 && t < total - 900 && inBlock >= 900 && inBlock < 900 + climb;
        return onClimb ? 0.85 + (block + seed) % 3 * 0.05 : Endurance(t, total, seed) - 0.03;
    }

    /// <summary>A road race: a warm-up, then surges of 30 s-3 min at 120-150 % of threshold on a high base, and a final sprint.</summary>
    private static double Race(int t, int total, int seed)
    {
        if (t < 900) return 0.6;
        if (t > total - 60) return 1.6;
        var cycle = 240 + (t / 600 * 53 + seed) % 5 * 60;
        var phase = t % cycle;
        var surge = 30 + (t / cycle * 13 + seed) % 6 * 30;
        return phase < surge ? 1.2 + (t / cycle + seed) % 4 * 0.1 : 0.72 + 0.05 * Math.Sin(t / 97.0);
    }
}
