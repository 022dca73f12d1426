using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NirsSync.Analysis;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync bench analysis</c>: samples/s of the per-ride metrics on generated one-hour rides with
/// 2-4 channels (one core and all cores), and a weekly recompute for three years of rides.
/// A sample is one row of one channel.
/// </summary>
internal static class AnalysisBench
{
    public static Command Create()
    {
        var rides = new Option<int>("--rides") { Description = "Rides in the batch", DefaultValueFactory = _ => 10_000 };
        var seconds = new Option<int>("--seconds") { Description = "Length of each ride, seconds", DefaultValueFactory = _ => 3600 };
        var command = new Command("analysis", "Per-ride analysis samples/s and weekly trend recompute time") { rides, seconds };
        command.SetAction(r => Run(r.GetValue(rides), r.GetValue(seconds), Console.Out, Console.Error));
        return command;
    }

    public static int Run(int rideCount, int seconds, TextWriter output, TextWriter error)
    {
        if (rideCount < 1 || seconds < 60)
        {
            error.WriteLine("nirssync: bench analysis needs --rides >= 1 and --seconds >= 60");
            return 2;
        }
        var ci = CultureInfo.InvariantCulture;
        var start = new DateTimeOffset(2023, 11, 27, 7, 0, 0, TimeSpan.Zero);
        var frames = new RideFrame[rideCount];
        long samples = 0;
        Parallel.For(0, rideCount, i =>
        {
            var rng = new Random(i);
            frames[i] = SyntheticRides.Generate(i, seconds, SyntheticRides.PartnerSensors(rng, 2 + i % 3), start.AddHours(i * 37));
        });
        foreach (var f in frames) samples += (long)f.Count * (f.Columns.Count / 2);
        output.WriteLine(string.Create(ci, $"load average before: {LoadAverage()}"));
        output.WriteLine(string.Create(ci, $"analysis: {rideCount} generated rides x {seconds} s, 2-4 channels, {samples:N0} channel samples, {Environment.ProcessorCount} cores"));

        // Warm up (JIT tiers) on the whole batch; then the same batch on one core and on all cores, each the
        // best of a few runs (a shared machine's neighbours slow single runs), with the GC's share reported.
        var metricsOnly = new AnalysisOptions { KeepSeries = false };
        RideAnalyzer.AnalyzeBatch(frames, (SensorMap?)null, metricsOnly);
        var single = Runs(3, () => RideAnalyzer.AnalyzeBatch(frames, (SensorMap?)null, metricsOnly with { MaxDegreeOfParallelism = 1 }));
        output.WriteLine(string.Create(ci,
            $"  per-ride metrics, 1 core:    {samples / single.Best.Wall.TotalSeconds / 1e6,8:F1} M samples/s best, {samples / single.Median.TotalSeconds / 1e6:F1} median of {single.Count} ({single.Best.Wall.TotalMilliseconds:F0} ms; {single.Best.Gc})"));
        RideAnalysis[] analyses = [];
        var all = Runs(5, () => analyses = RideAnalyzer.AnalyzeBatch(frames, (SensorMap?)null, metricsOnly));
        output.WriteLine(string.Create(ci,
            $"  per-ride metrics, all cores: {samples / all.Best.Wall.TotalSeconds / 1e6,8:F1} M samples/s best, {samples / all.Median.TotalSeconds / 1e6:F1} median of {all.Count} ({all.Best.Wall.TotalMilliseconds:F0} ms, {rideCount / all.Best.Wall.TotalSeconds:F0} rides/s; {all.Best.Gc})"));
        // CPU time this process got: on a shared machine the wall-clock figure above depends on other load.
        output.WriteLine(string.Create(ci, $"  per CPU-second of this process (best run): {samples / all.Best.Cpu / 1e6,8:F1} M samples/s ({all.Best.Cpu:F2} s CPU)"));

        // Three years of rides for one athlete: summaries of the analysed rides, recycled with new dates.
        var summaries = analyses.Select((a, i) => RideSummary.From($"r{i}", a)).ToArray();
        var threeYears = Enumerable.Range(0, 156 * 5)
            .Select(i => summaries[i % summaries.Length] with { RideId = $"y{i}", Start = start.AddDays(i * 7 / 5.0) }).ToArray();
        var tz = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        WeeklyTrends.Compute(threeYears, tz);
        AthleteTrends trends = null!;
        var weekly = Measure(() => trends = WeeklyTrends.Compute(threeYears, tz));
        var acc = new WeeklyAccumulator(tz);
        foreach (var s in threeYears[..^1]) acc.Add(s);
        acc.Result();
        var incremental = Measure(() => { acc.Add(threeYears[^1]); acc.Result(); });
        output.WriteLine(string.Create(ci, $"load average after: {LoadAverage()}"));
        output.WriteLine(string.Create(ci, $"  weekly trends, 3 years ({threeYears.Length} rides, {trends.Muscles.Count + trends.Pairs.Count} series): full {weekly.TotalMilliseconds:F1} ms, one ride added {incremental.TotalMilliseconds:F2} ms"));
        return 0;
    }

    /// <summary>The 1-minute load average (Linux), so a reader can tell a busy machine's figures apart.</summary>
    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private static TimeSpan Measure(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed;
    }

    /// <summary>One timed run: wall time, this process's CPU seconds, and what the GC did meanwhile.</summary>
    private readonly record struct Timed(TimeSpan Wall, double Cpu, string Gc);

    /// <summary>The fastest of several runs and the median wall time.</summary>
    private readonly record struct Timings(Timed Best, TimeSpan Median, int Count);

    /// <summary><paramref name="runs"/> runs, each started after a full collection of the last one's garbage.</summary>
    private static Timings Runs(int runs, Action action)
    {
        var all = new List<Timed>();
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < runs; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var gen0 = GC.CollectionCount(0);
            var gen1 = GC.CollectionCount(1);
            var gen2 = GC.CollectionCount(2);
            var pause = GC.GetTotalPauseDuration();
            var allocated = GC.GetTotalAllocatedBytes();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var wall = Measure(action);
            process.Refresh();
            var gc = string.Create(CultureInfo.InvariantCulture,
                $"GC {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} gen0/1/2, paused {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms, {(GC.GetTotalAllocatedBytes() - allocated) / 1048576.0:F0} MB allocated");
            all.Add(new Timed(wall, (process.TotalProcessorTime - cpu0).TotalSeconds, gc));
        }
        var sorted = all.OrderBy(t => t.Wall).ToList();
        return new Timings(sorted[0], sorted[sorted.Count / 2].Wall, sorted.Count);
    }
}
