using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync bench decode</c>: single-core decode throughput of the message API and the columnar
/// path, side by side with fit-file-parser (npm, run through node) on the same files, with the ratio.
/// </summary>
internal static class BenchDecode
{
    public static Command Create()
    {
        var files = new Option<FileInfo[]>("--files") { Description = "FIT files to decode (default: the sound files of ../shared/fit-corpus)", AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per measurement", DefaultValueFactory = _ => 3 };
        var noPeer = new Option<bool>("--no-peer") { Description = "Do not run fit-file-parser" };
        var command = new Command("decode", "FIT decode throughput (MB/s): message API, columnar path and fit-file-parser") { files, seconds, noPeer };
        command.SetAction(r => Run(r.GetValue(files), r.GetValue(seconds), !r.GetValue(noPeer), Console.Out));
        return command;
    }

    internal static int Run(FileInfo[]? files, double seconds, bool peer, TextWriter output)
    {
        // One core: the figures are per core, and the GC's background work stays on it too.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
            Process.GetCurrentProcess().ProcessorAffinity = 1;
        var sets = new List<(string Name, List<string> Paths)>();
        var temp = Path.Combine(Path.GetTempPath(), $"nirssync-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(temp);
        try
        {
            var corpus = files is { Length: > 0 } ? files.Select(f => f.FullName).ToList() : SoundCorpusFiles();
            if (corpus.Count > 0) sets.Add((files is { Length: > 0 } ? "given files" : $"corpus ({corpus.Count} sound files)", corpus));
            var ride = Path.Combine(temp, "ride-4h-2sensors.fit");
            File.WriteAllBytes(ride, SyntheticRide.Generate(new SyntheticRideOptions { Duration = TimeSpan.FromHours(4) }));
            sets.Add(("generated 4-hour 1 Hz ride, 2 muscle-oxygen sensors", [ride]));

            output.WriteLine($"nirssync bench decode — {Environment.MachineName}, {Environment.ProcessorCount} cores, " +
                $".NET {Environment.Version}, one core, {DateTime.UtcNow:yyyy-MM-dd}");
            foreach (var (name, paths) in sets)
            {
                var inputs = paths.Select(File.ReadAllBytes).ToList();
                var bytes = inputs.Sum(b => (long)b.Length);
                output.WriteLine();
                output.WriteLine($"{name}: {bytes / 1e6:F2} MB per pass");
                var message = Measure(inputs, seconds, b => FitDecoder.Decode(b).Messages.Count);
                var columnar = Measure(inputs, seconds, b => FitColumnarReader.Read(b).Records.Count);
                output.WriteLine($"  message API     {message.MbPerSecond,9:F1} MB/s   {message.AllocatedPerPass / 1e6,8:F2} MB allocated per pass");
                output.WriteLine($"  columnar path   {columnar.MbPerSecond,9:F1} MB/s   {columnar.AllocatedPerPass / 1e6,8:F2} MB allocated per pass");
                if (peer && Peer(paths, seconds, output) is { } p)
                    output.WriteLine($"  fit-file-parser {p,9:F1} MB/s   ratio: columnar {columnar.MbPerSecond / p:F1}x, message API {message.MbPerSecond / p:F1}x");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private sealed record Result(double MbPerSecond, double AllocatedPerPass);

    private static Result Measure(List<byte[]> inputs, double seconds, Func<byte[], int> decode)
    {
        var sink = 0;
        foreach (var b in inputs) sink += decode(b); // warm-up and JIT tiering
        for (var i = 0; i < 30; i++) foreach (var b in inputs) sink += decode(b);
        var passBytes = inputs.Sum(b => (long)b.Length);
        long passes = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds || passes < 3)
        {
            foreach (var b in inputs) sink += decode(b);
            passes++;
        }
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        GC.KeepAlive(sink);
        return new Result(passBytes * passes / watch.Elapsed.TotalSeconds / 1e6, (double)allocated / passes);
    }

    private static double? Peer(List<string> paths, double seconds, TextWriter output)
    {
        var script = FindUp(Path.Combine("tests", "node", "fit-oracle", "peer-bench.mjs"));
        if (script is null || !Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "fit-file-parser")))
        {
            output.WriteLine("  fit-file-parser: not installed (npm ci in tests/node/fit-oracle)");
            return null;
        }
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--seconds");
        start.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));
        foreach (var p in paths) start.ArgumentList.Add(p);
        try
        {
            using var process = Process.Start(start)!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException(process.StandardError.ReadToEnd());
            using var json = JsonDocument.Parse(text);
            return json.RootElement.GetProperty("mbPerSecond").GetDouble();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or JsonException)
        {
            output.WriteLine($"  fit-file-parser: could not run node: {e.Message.Split('\n')[0]}");
            return null;
        }
    }

    private static List<string> SoundCorpusFiles()
    {
        var corpus = FindUp(Path.Combine("..", "shared", "fit-corpus"));
        if (corpus is null) return [];
        return Directory.EnumerateFiles(corpus, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".fit", StringComparison.OrdinalIgnoreCase))
            .Where(f =>
            {
                try { return FitDecoder.Decode(File.ReadAllBytes(f)).Damage is null; }
                catch (FitFormatException) { return false; }
            })
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Looks for <paramref name="relative"/> from the working directory and the program's directory upwards.</summary>
    internal static string? FindUp(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, relative));
                if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
            }
        return null;
    }
}
