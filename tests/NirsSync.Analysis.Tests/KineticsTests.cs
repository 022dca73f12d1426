using System.Globalization;
using Xunit.Abstractions;
using static NirsSync.Analysis.Tests.Frames;

namespace NirsSync.Analysis.Tests;

public class KineticsTests(ITestOutputHelper output)
{
    // A 4-minute effort: SmO2 falls from 70 with tau 15 s to a 30 % plateau carrying noise (SD 1.5), then recovers from
    // the end of the work towards 75 with tau 14.43 s: a true half-time of 10 s and a 63 % time of 14.4 s.
    private static RideFrame PlateauRide(int seed, out double trueHalf, out double trueMrt)
    {
        var rng = new Random(seed);
        const int start = 120, end = 360, n = 600;
        const double tauRec = 10 / 0.6931471805599453;
        trueHalf = 10;
        trueMrt = Math.Round(-tauRec * Math.Log(1 - 0.632), 1);
        var smo2 = new float[n];
        var power = new float[n];
        for (var t = 0; t < n; t++)
        {
            double v = t < start ? 70 : t < end ? 30 + 40 * Math.Exp(-(t - start) / 15.0) : 30 + 45 * (1 - Math.Exp(-(t - end) / tauRec));
            smo2[t] = (float)Math.Round(v + Gaussian(rng) * 1.5, 1);
            power[t] = t is >= start and < end ? 320 : 120;
        }
        return Native(smo2, power: power);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Half_time_from_the_end_of_a_plateau_effort_recovers_the_true_half_time(int seed)
    {
        var ride = PlateauRide(seed, out var trueHalf, out var trueMrt);
        var e = Assert.Single(Assert.Single(RideAnalyzer.Analyze(ride, options: NoFrozen with { EffortPowerW = 200 }).Channels).Efforts);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: half {e.HalfTimeFromEndS} (true {trueHalf}), mrt {e.MeanResponseTimeS} (true {trueMrt}), nadir-based {e.ReoxygenationHalfTimeS}, low {e.Low}, nadir {e.Nadir}"));
        Assert.Equal(EffortSource.Power, e.Source);
        Assert.False(e.RecoveryCut);
        Assert.InRange(e.HalfTimeFromEndS!.Value, trueHalf - 2, trueHalf + 2);
        Assert.InRange(e.MeanResponseTimeS!.Value, trueMrt - 3, trueMrt + 3);
        // The robust low sits near the plateau (30), above the noisy minimum.
        Assert.InRange(e.Low!.Value, 28.5, 31.5);
        Assert.True(e.Low > e.Nadir);
        Assert.InRange(e.Depth!.Value, 38.5, 41.5);
        Assert.InRange(e.WorkLevel!.Value, 29, 31);
    }

    [Fact]
    public void A_recovery_cut_by_the_next_effort_is_marked_and_left_out_of_the_means()
    {
        // Two efforts 20 s apart: the first recovery is still rising when the second effort starts.
        var smo2 = Fill(500, t => t < 100 ? 70f : t < 160 ? 40f : t < 180 ? 40f + (t - 160) : t < 240 ? 40f : 40f + Math.Min(30, t - 240));
        var power = Fill(500, t => t is >= 100 and < 160 or >= 180 and < 240 ? 300f : 100f);
        var c = Assert.Single(RideAnalyzer.Analyze(Native(smo2, power: power), options: NoFrozen with { EffortPowerW = 200, SmoothingWindowS = 0 }).Channels);
        Assert.Equal(2, c.Efforts.Count);
        Assert.True(c.Efforts[0].RecoveryCut);
        Assert.Null(c.Efforts[0].HalfTimeFromEndS);
        Assert.False(c.Efforts[1].RecoveryCut);
        Assert.Equal(15.0, c.Efforts[1].HalfTimeFromEndS); // A = 40, B = 70: 55 reached 15 s after the end
        Assert.Equal(1, c.EffortSummary.RecoveriesCut);
        Assert.Equal(15.0, c.EffortSummary.ReoxygenationHalfTimeS);
    }

    [Fact]
    public void Given_intervals_replace_power_and_bad_intervals_are_named()
    {
        var ride = PlateauRide(1, out _, out _);
        var a = RideAnalyzer.Analyze(ride, options: NoFrozen with { GivenEfforts = [new EffortInterval(120, 360)] });
        var e = Assert.Single(a.Efforts);
        Assert.Equal((EffortSource.Given, 120.0, 240.0, 320.0), (e.Source, e.StartS, e.DurationS, e.MeanPowerW));
        var bad = Assert.Throws<ArgumentException>(() =>
            RideAnalyzer.Analyze(ride, options: NoFrozen with { GivenEfforts = [new EffortInterval(100, 200), new EffortInterval(150, 300)] }));
        Assert.Contains("effort 2 (150-300 s) starts before effort 1 ends", bad.Message, StringComparison.Ordinal);
        bad = Assert.Throws<ArgumentException>(() => RideAnalyzer.Analyze(ride, options: NoFrozen with { GivenEfforts = [new EffortInterval(900, 950)] }));
        Assert.Contains("starts after the recording ends", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_power_laps_whose_smo2_falls_are_efforts()
    {
        var ride = PlateauRide(2, out _, out _);
        var laps = new List<RideLap>
        {
            new(T0, T0 + 119), new(T0 + 120, T0 + 359), new(T0 + 360, T0 + 599),
        };
        var noPower = new RideFrame(ride.Timestamp, null, ride.Columns, laps);
        var a = RideAnalyzer.Analyze(noPower, options: NoFrozen);
        var e = Assert.Single(a.Efforts);
        Assert.Equal((EffortSource.Lap, 120.0, 240.0, 0.0), (e.Source, e.StartS, e.DurationS, e.MeanPowerW));
        Assert.InRange(Assert.Single(a.Channels).Efforts[0].HalfTimeFromEndS!.Value, 8, 12);
    }

    [Fact]
    public void Without_power_or_laps_desaturation_events_are_efforts()
    {
        var ride = PlateauRide(3, out _, out _);
        var a = RideAnalyzer.Analyze(new RideFrame(ride.Timestamp, null, ride.Columns), options: NoFrozen);
        var e = Assert.Single(a.Efforts);
        Assert.Equal(EffortSource.SmO2, e.Source);
        // The event starts when SmO2 leaves its resting level and ends when recovery begins: the muscle's own times.
        Assert.InRange(e.StartS, 115, 130);
        Assert.InRange(e.StartS + e.DurationS, 350, 365);
        Assert.InRange(Assert.Single(a.Channels).Efforts[0].HalfTimeFromEndS!.Value, 6, 14);
    }

    public static TheoryData<string, double, double> Intervals => new()
    {
        { "moxy", 124, 364 }, { "moxy", 486, 726 }, { "moxy", 848, 1088 }, { "moxy", 1210, 1450 },
        { "right", 65.94, 368.11 }, { "right", 788.13, 1083.83 }, { "left", 65.94, 368.11 }, { "left", 788.13, 1083.83 },
    };

    [Theory]
    [MemberData(nameof(Intervals))]
    public void Half_time_on_real_recordings_agrees_with_the_mnirs_response_time_definition(string sensor, double start, double end)
    {
        var s = sensor == "moxy" ? SensorExports.Moxy() : SensorExports.TrainRed(right: sensor == "right");
        var frame = SensorExports.Frame(s);
        var intervals = sensor == "moxy"
            ? new EffortInterval[] { new(124, 364), new(486, 726), new(848, 1088), new(1210, 1450) }
            : [new(65.94, 368.11), new(788.13, 1083.83)];
        var c = Assert.Single(RideAnalyzer.Analyze(frame, options: new AnalysisOptions { GivenEfforts = intervals }).Channels);
        var e = c.Efforts.Single(x => Math.Abs(x.StartS - Math.Round(start)) < 1);
        var refHalf = MnirsReference.ResponseTime(s, end, 0.5);
        var refMrt = MnirsReference.ResponseTime(s, end, 0.632);
        // Our end is the whole second the work stopped in; the reference times from the exact end.
        var offset = Math.Round(end) - end;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {s.Name} | {start}-{end} | {e.HalfTimeFromEndS + offset:0.0} | {refHalf:0.0} | {e.MeanResponseTimeS + offset:0.0} | {refMrt:0.0} | {e.WorkLevel:0.0} | {e.RecoveryPeak:0.0} | {e.ReoxygenationHalfTimeS:0.0} |"));
        Assert.NotNull(refHalf);
        Assert.NotNull(e.HalfTimeFromEndS);
        Assert.InRange(e.HalfTimeFromEndS!.Value + offset - refHalf!.Value, -Tolerance, Tolerance);
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool Robust_low_on_one_second_rows_equals_the_time_based_search(int seed, byte window)
    {
        var rng = new Random(seed);
        var n = 5 + rng.Next(200);
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.1 ? float.NaN : (float)Math.Round(20 + 40 * rng.NextDouble(), 1)).ToArray();
        var ts = Seconds(n);
        int a = rng.Next(n), b = a + rng.Next(n - a + 1);
        var w = window % 30;
        var byTime = EffortKinetics.RobustLow(ts, x, a, b, w);
        var byRows = EffortKinetics.RobustLowRegular(x, a, b, w);
        return byTime is null ? byRows is null : byRows is { } r && Math.Abs(r - byTime.Value) < 1e-9;
    }

    private const double Tolerance = 5;

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
