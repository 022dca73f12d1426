using System.Globalization;
using System.Text;

namespace NirsSync.SensorExports.Synthetic;

/// <summary>Generated exports in the real layouts, for benchmarks and tests (values are plausible, not physiology).</summary>
public static class SyntheticExports
{
    /// <summary>
    /// A Train.Red CSV in the newer nine-column layout: <paramref name="sensors"/> FYER sensors (0673, 0674, ...),
    /// irregular steps around 1/<paramref name="hz"/> s, laps every 5 minutes, SmO2 swinging with 6-minute work bouts.
    /// One hour at 10 Hz with two sensors is about 5 MB.
    /// </summary>
    public static byte[] TrainRedCsv(TimeSpan duration, double hz = 10, int sensors = 2, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sensors, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hz);
        var ci = CultureInfo.InvariantCulture;
        var random = new Random(seed);
        var sb = new StringBuilder(capacity: (int)Math.Min(int.MaxValue / 2, duration.TotalSeconds * hz * (20 + 110 * sensors)));
        sb.Append("\uFEFFTrain.Red Export for,Session at 2026-02-06 1:15 p.m.\n");
        for (var s = 0; s < sensors; s++)
        {
            sb.Append(ci, $"Sensor {s + 1},Train.Red FYER\n-------------------------------------------------------------\n");
            sb.Append(ci, $"Sensor DataType,expertV13\nSensor ID,Train.Red FYER {673 + s:0000}\nSensor Position,{(s % 2 == 0 ? "legRightUpperFront" : "legLeftUpperFront")}\n,\n");
        }
        sb.Append(",,");
        for (var s = 0; s < sensors; s++) sb.Append(ci, $",Train.Red FYER {673 + s:0000},,,,,,,,");
        sb.Append("\nTimestamp (seconds passed),Lap/Event");
        for (var s = 0; s < sensors; s++)
            sb.Append(",,SmO2,HBDiff,Muscle state,Muscle trend,SmO2 unfiltered,O2HB unfiltered,HHb unfiltered,THb unfiltered,HBDiff unfiltered");
        sb.Append('\n');
        var t = 12.3;
        var end = t + duration.TotalSeconds;
        while (t < end)
        {
            var work = (t % 360) < 180;
            sb.Append(ci, $"{t:0.##},{1 + (int)((t - 12.3) / 300)}");
            for (var s = 0; s < sensors; s++)
            {
                var smo2 = (work ? 45 : 70) + 5 * Math.Sin(t / 30 + s) + random.NextDouble();
                var o2 = (work ? -6 : 2) + random.NextDouble();
                var hhb = (work ? 4 : -2) + random.NextDouble();
                sb.Append(ci, $",,{smo2:0.##},{o2 - hhb:0.##},{(work ? "Deoxygenating" : "Oxygenating")},{(work ? "down" : "up")},{smo2 + random.NextDouble() - 0.5:0.##},{o2:0.##},{hhb:0.##},{o2 + hhb:0.##},{o2 - hhb:0.##}");
            }
            sb.Append('\n');
            t += (0.6 + 0.8 * random.NextDouble()) / hz;
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>
    /// A Moxy onboard CSV whose SmO2 follows <paramref name="power"/> (1 Hz, W, from the ride's first second at
    /// <paramref name="rideLocalStart"/>, wall-clock time): first-order desaturation with time constant
    /// <paramref name="tauS"/> after a delay of <paramref name="delayS"/>, Gaussian noise of <paramref name="noise"/>
    /// % points, whole-percent values every 2 s. The sensor's clock is behind the ride's by
    /// <paramref name="offsetS"/> (the offset the merge must add to the export's times), and it records ride
    /// seconds <paramref name="fromS"/> to <paramref name="toS"/>.
    /// </summary>
    public static byte[] MoxyCsvFollowing(float[] power, DateTime rideLocalStart, double offsetS, int fromS, int toS,
        uint serial = 1614, double noise = 0.6, int seed = 1, double tauS = 15, double delayS = 3)
    {
        ArgumentNullException.ThrowIfNull(power);
        if (fromS < 0 || toS <= fromS || toS > power.Length)
            throw new ArgumentOutOfRangeException(nameof(toS), $"the recording must lie within the ride's {power.Length} s");
        var ci = CultureInfo.InvariantCulture;
        var random = new Random(seed);
        // The physiology on the ride's clock, one value per second.
        var model = new double[power.Length];
        double level = 0;
        for (var t = 0; t < power.Length; t++)
        {
            var p = power[Math.Max(0, t - (int)Math.Round(delayS))];
            var target = float.IsFinite(p) ? Math.Max(0, p - 120) / 200 : level;
            level += (target - level) / tauS;
            model[t] = 72 - 40 * level;
        }
        var sb = new StringBuilder();
        sb.Append(ci, $"\n FW Part Number: 2000195 v1.3\n LUT Part Number: SN{serial} v0.0.4\n \nmm-dd,hh:mm:ss,SmO2 Live,SmO2 Averaged,THb,Lap,Session Ct\n");
        // Sensor clock = ride clock - offset; its rows fall on whole seconds of its own clock.
        var first = Math.Ceiling(fromS - offsetS);
        for (var c = first; c + offsetS <= toS - 1; c += 2)
        {
            var rideT = c + offsetS;
            var i = (int)Math.Floor(rideT);
            var w = rideT - i;
            var value = i + 1 < model.Length ? model[i] * (1 - w) + model[i + 1] * w : model[i];
            var smo2 = Math.Clamp(Math.Round(value + Gaussian(random) * noise), 1, 99);
            var thb = 12.4 + 0.02 * (72 - value) + Gaussian(random) * 0.03;
            var at = rideLocalStart.AddSeconds(c);
            sb.Append(ci, $"{at:dd-MMM},{at:HH:mm:ss},{smo2:0},{smo2:0},{thb:0.00},{1 + (int)(rideT / 600)},1\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
