using NirsSync.Fit;

namespace NirsSync.Analysis.Tests;

/// <summary>
/// Generated athletes for trend tests: weeks of one-hour interval rides (warm-up, 6 x 3 min at ~310 W with 3 min easy,
/// cool-down) with two sensors (vastus lateralis left and right) written like our data field. Each session draws its own
/// level, depth and recovery half-time around the athlete's true values with the published between-session noise
/// (SmO2 level SEM 6 points, inside Skotzke et al. 2024's 5-9; half-time 7 s, Res Direct Health Sci 2022; depth, for
/// which nothing is published, the level's 6 points); samples carry 1 point of sensor noise.
/// </summary>
internal static class SyntheticAthlete
{
    public const double LevelSem = 6, DepthSem = 6, HalfTimeSem = 7, THbSem = 0.5;

    /// <summary>The single-session minimum detectable change of depth at the generator's noise: 1.96 sqrt(2) SEM.</summary>
    public static double DepthMdc => 1.96 * Math.Sqrt(2) * DepthSem;

    public static readonly DateTimeOffset FirstMonday = new(2026, 1, 5, 7, 0, 0, TimeSpan.Zero);

    /// <summary>Ride summaries of <paramref name="weeks"/> weeks, three rides a week (Mon, Wed, Sat); the right side
    /// desaturates <paramref name="overuseDepth"/> points deeper from week <paramref name="overuseFromWeek"/> on.</summary>
    public static List<RideSummary> Rides(int seed, int weeks = 16, double overuseDepth = 0, int overuseFromWeek = int.MaxValue,
        Func<int, int, (double Left, double Right)>? levelShift = null)
    {
        var rng = new Random(seed);
        var summaries = new List<RideSummary>();
        var options = new AnalysisOptions { KeepSeries = false };
        int[] days = [0, 2, 5];
        for (var w = 0; w < weeks; w++)
            for (var d = 0; d < days.Length; d++)
            {
                var start = FirstMonday.AddDays(7 * w + days[d]);
                var shift = levelShift?.Invoke(w, d) ?? (0, 0);
                var frame = Ride(rng, start, w >= overuseFromWeek ? overuseDepth : 0, shift);
                summaries.Add(RideSummary.From($"w{w}d{d}", RideAnalyzer.Analyze(frame, options: options)));
            }
        return summaries;
    }

    private static RideFrame Ride(Random rng, DateTimeOffset start, double rightExtraDepth, (double Left, double Right) shift)
    {
        const int n = 3600;
        var t0 = FitProfile.ToFitTime(start);
        var ts = new uint[n];
        var power = new float[n];
        for (var i = 0; i < n; i++)
        {
            ts[i] = t0 + (uint)i;
            var work = i >= 600 && i < 2760 && (i - 600) % 360 < 180;
            power[i] = MathF.Round((float)((work ? 310 : i < 600 ? 150 : 140) + Gaussian(rng) * 8));
        }
        var columns = new List<RideColumn>();
        var session = new List<RideDeveloperValue>();
        var apps = new List<FitDeveloperDataId> { new(0, null, Convert.FromHexString(ChannelDiscovery.DataFieldApplicationId.Replace("-", "", StringComparison.Ordinal)), null, 1) };
        for (var s = 0; s < 2; s++)
        {
            var rest = 68 + (s == 0 ? shift.Left : shift.Right) + Gaussian(rng) * LevelSem;
            var depth = Math.Max(5, 30 + (s == 1 ? rightExtraDepth : 0) + Gaussian(rng) * DepthSem);
            var half = Math.Clamp(22 + Gaussian(rng) * HalfTimeSem, 6, 60);
            var thbLevel = 12.5 + Gaussian(rng) * THbSem;
            var tauUp = half / Math.Log(2);
            var smo2 = new float[n];
            var thb = new float[n];
            var level = rest;
            for (var i = 0; i < n; i++)
            {
                var p = power[Math.Max(0, i - 3)];
                var target = p > 250 ? rest - depth : rest;
                level += (target - level) / (target < level ? 12.0 : tauUp);
                var v = level + Gaussian(rng) * 1.0;
                smo2[i] = MathF.Round((float)Math.Clamp(v, 1, 99) * 10) / 10;
                thb[i] = MathF.Round((float)(thbLevel + Gaussian(rng) * 0.05) * 100) / 100;
                if (rng.NextDouble() < 0.002) { smo2[i] = 0; thb[i] = 0; }
            }
            var slot = s + 1;
            columns.Add(RideColumn.Developer(SyntheticRides.Field(0, (byte)(2 * s), $"smo2_{slot}", "%", slot == 1 ? 57 : null), smo2));
            columns.Add(RideColumn.Developer(SyntheticRides.Field(0, (byte)(2 * s + 1), $"thb_{slot}", "g/dL", slot == 1 ? 54 : null), thb));
            var b = (byte)(slot == 1 ? 50 : 53);
            session.Add(Session(b, $"muscle_{slot}", FitBaseType.UInt8, (byte)Muscle.VastusLateralis));
            session.Add(Session((byte)(b + 1), $"side_{slot}", FitBaseType.UInt8, (byte)(s == 0 ? Side.Left : Side.Right)));
            session.Add(Session((byte)(b + 2), $"device_{slot}", FitBaseType.UInt16, 2000u + (uint)s));
        }
        return new RideFrame(ts, power, columns, [], [], session, apps);
    }

    private static RideDeveloperValue Session(byte number, string name, FitBaseType type, double value) =>
        new(new FitFieldDescription(0, number, type, name, null, null, null, FitProfile.Session, null, null), [value]);

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
