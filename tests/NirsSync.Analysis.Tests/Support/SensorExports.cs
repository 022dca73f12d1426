using System.Globalization;

namespace NirsSync.Analysis.Tests;

/// <summary>
/// A minimal, test-only reader for the two interval recordings in ../shared/sensor-exports (the mnirs example data):
/// raw samples (seconds from the first sample, SmO2 %) per sensor, and a 1 Hz ride frame of them for the analysis.
/// </summary>
internal static class SensorExports
{
    public static string Root { get; } = Path.Combine(Path.GetDirectoryName(Corpus.Root)!, "sensor-exports");

    /// <summary>One sensor's raw samples: times in seconds from the recording's first sample.</summary>
    public sealed record Samples(string Name, double[] T, double[] SmO2);

    /// <summary>moxy_intervals.csv: 0.5 Hz, "SmO2 Live" (column 3), times hh:mm:ss (column 2).</summary>
    public static Samples Moxy()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "moxy_intervals.csv"));
        var header = Array.FindIndex(lines, l => l.StartsWith("mm-dd,hh:mm:ss", StringComparison.Ordinal));
        if (header < 0) throw new InvalidDataException("moxy_intervals.csv: no 'mm-dd,hh:mm:ss' header line");
        var t = new List<double>();
        var x = new List<double>();
        double? first = null;
        for (var i = header + 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = lines[i].Split(',');
            var clock = TimeSpan.ParseExact(f[1], @"hh\:mm\:ss", CultureInfo.InvariantCulture).TotalSeconds;
            first ??= clock;
            t.Add(clock - first.Value);
            x.Add(double.Parse(f[2], CultureInfo.InvariantCulture));
        }
        return new Samples("moxy", [.. t], [.. x]);
    }

    /// <summary>
    /// train.red_intervals.csv: ~10 Hz, the filtered "SmO2" of FYER 0673 (right, column 4) or FYER 0702 (left, column 9)
    /// below the "Timestamp (seconds passed)" header.
    /// </summary>
    public static Samples TrainRed(bool right)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "train.red_intervals.csv"));
        var header = Array.FindIndex(lines, l => l.StartsWith("Timestamp (seconds passed)", StringComparison.Ordinal));
        if (header < 0) throw new InvalidDataException("train.red_intervals.csv: no 'Timestamp (seconds passed)' header line");
        var column = right ? 3 : 8;
        var t = new List<double>();
        var x = new List<double>();
        double? first = null;
        for (var i = header + 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length <= column || f[0].Length == 0) continue;
            var time = double.Parse(f[0], CultureInfo.InvariantCulture);
            first ??= time;
            if (f[column].Length == 0) continue;
            t.Add(time - first.Value);
            x.Add(double.Parse(f[column], CultureInfo.InvariantCulture));
        }
        return new Samples(right ? "train.red 0673 right" : "train.red 0702 left", [.. t], [.. x]);
    }

    /// <summary>
    /// A ride frame of 1 Hz rows from raw samples: each whole second's samples averaged (the analysis keeps whole FIT
    /// seconds); a 0.5 Hz recording keeps its own rows, two seconds apart.
    /// </summary>
    public static RideFrame Frame(params Samples[] sensors)
    {
        var seconds = (int)Math.Floor(sensors.Max(s => s.T[^1])) + 1;
        var sums = sensors.Select(_ => new double[seconds]).ToArray();
        var counts = sensors.Select(_ => new int[seconds]).ToArray();
        for (var k = 0; k < sensors.Length; k++)
            for (var i = 0; i < sensors[k].T.Length; i++)
            {
                var sec = (int)Math.Floor(sensors[k].T[i]);
                sums[k][sec] += sensors[k].SmO2[i];
                counts[k][sec]++;
            }
        // Keep the seconds where any sensor has a sample.
        var rows = Enumerable.Range(0, seconds).Where(s => counts.Any(c => c[s] > 0)).ToArray();
        var ts = rows.Select(s => Frames.T0 + (uint)s).ToArray();
        var columns = new List<RideColumn>();
        for (var k = 0; k < sensors.Length; k++)
        {
            var values = rows.Select(s => counts[k][s] == 0 ? float.NaN : (float)(sums[k][s] / counts[k][s])).ToArray();
            var name = sensors.Length == 1 ? "SmO2" : $"SmO2 Sensor {k + 1}";
            columns.Add(RideColumn.Developer(Frames.Dev(0, (byte)k, name, "%", NirsSync.Fit.FitBaseType.Float32, native: 57), values));
        }
        return new RideFrame(ts, null, columns);
    }
}
