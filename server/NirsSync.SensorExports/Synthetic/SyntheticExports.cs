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
}
