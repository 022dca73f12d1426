using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NirsSync.SensorExports;
using NirsSync.SensorExports.Synthetic;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync bench exports [--seconds S] [FILE...]</c>: read time of sensor exports on one thread (reading the
/// bytes into columns, then the 1-second analysis input); without files, a generated 1-hour 10 Hz two-sensor
/// Train.Red file (~5 MB).
/// </summary>
internal static class ExportBench
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Exports to read (default: a generated 1-hour 10 Hz two-sensor Train.Red file)", Arity = ArgumentArity.ZeroOrMore };
        var seconds = new Option<double>("--seconds") { Description = "Measuring time per file", DefaultValueFactory = _ => 3 };
        var command = new Command("exports", "Sensor export read time (ms per file, one thread)") { files, seconds };
        command.SetAction(r => Run(r.GetValue(files) ?? [], r.GetValue(seconds), Console.Out));
        return command;
    }

    public static int Run(FileInfo[] files, double seconds, TextWriter output)
    {
        var ci = CultureInfo.InvariantCulture;
        // One core, as the target says (the reader is single-threaded; this keeps the GC on that core too).
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()) Process.GetCurrentProcess().ProcessorAffinity = 1;
        var sets = files.Length > 0
            ? files.Select(f => (f.Name, File.ReadAllBytes(f.FullName))).ToList()
            : [("generated Train.Red 1 h 10 Hz 2 sensors", SyntheticExports.TrainRedCsv(TimeSpan.FromHours(1)))];
        var options = new SensorExportOptions { TimeZone = TimeZoneInfo.Utc, Start = DateTimeOffset.UnixEpoch.AddYears(56) };
        output.WriteLine(string.Create(ci, $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; pinned to CPU 0"));
        foreach (var (name, bytes) in sets)
        {
            // Warm up (JIT, tiered compilation), then time whole reads.
            for (var i = 0; i < 5; i++) SensorExportReader.Read(bytes, options).ToRideFrame();
            var read = new List<double>();
            var frame = new List<double>();
            var total = Stopwatch.StartNew();
            SensorExport? export = null;
            while (total.Elapsed.TotalSeconds < seconds || read.Count < 5)
            {
                var sw = Stopwatch.StartNew();
                export = SensorExportReader.Read(bytes, options);
                var a = sw.Elapsed.TotalMilliseconds;
                export.ToRideFrame();
                read.Add(a);
                frame.Add(sw.Elapsed.TotalMilliseconds - a);
            }
            read.Sort();
            frame.Sort();
            var median = read[read.Count / 2];
            output.WriteLine(string.Create(ci,
                $"{name}: {bytes.Length / 1e6:0.00} MB, {export!.Count} samples, {export.Channels.Count} sensors; read median {median:0.0} ms (min {read[0]:0.0}), "
                + $"{bytes.Length / 1e6 / (median / 1000):0} MB/s; 1 s analysis input median {frame[frame.Count / 2]:0.0} ms; {read.Count} runs"));
        }
        return 0;
    }
}
