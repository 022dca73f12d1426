using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NirsSync.Cli.Admin;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Cli.Upload;

/// <summary>
/// <c>nirssync bench upload --server URL --files N --concurrency C</c>: uploads N generated one-hour
/// rides with C parallel requests, waits until the server processed them all, and prints rides/s end to
/// end and the p50/p99 acknowledgement latency. Without --token it creates a bench athlete in the
/// server's database (same machine, --data or the default data folder).
/// </summary>
internal static class UploadBench
{
    public static Command Create()
    {
        var server = new Option<Uri>("--server")
        {
            Description = "Server address", DefaultValueFactory = _ => new Uri("http://localhost:5080"),
            CustomParser = ServerAddress.Parse,
        };
        var files = new Option<int>("--files") { Description = "Rides to upload", DefaultValueFactory = _ => 500 };
        var concurrency = new Option<int>("--concurrency") { Description = "Parallel uploads", DefaultValueFactory = _ => 8 };
        var minutes = new Option<int>("--minutes") { Description = "Length of each generated ride", DefaultValueFactory = _ => 60 };
        var token = new Option<string?>("--token") { Description = "Upload token of the athlete to upload as" };
        var data = new Option<DirectoryInfo?>("--data") { Description = "The server's data folder, to create a bench athlete when no --token is given" };
        var serverPid = new Option<int?>("--server-pid")
        {
            Description = "Process id of the server on this machine, to report its CPU time per ride (default: the one NirsSync.Server process found, if any)",
        };
        var workerPid = new Option<int?>("--worker-pid")
        {
            Description = "Process id of a worker node of the same server (one web + one worker), counted with --server-pid",
        };
        var postgresPid = new Option<int?>("--postgres-pid")
        {
            Description = "Process id of the PostgreSQL postmaster on this machine, to report the database's CPU per ride too",
        };
        var settle = new Option<double>("--settle-seconds")
        {
            Description = "After each warm-up round, wait at most this long for the bench's own compilation to end (0: do not wait)",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("upload", "Upload generated rides to a running server; rides/s, acknowledgement latency and the server's CPU per ride")
        {
            server, files, concurrency, minutes, token, data, serverPid, workerPid, postgresPid, settle,
        };
        command.SetAction(async (r, ct) =>
        {
            try
            {
                return await RunAsync(r.GetValue(server)!, r.GetValue(files), r.GetValue(concurrency), r.GetValue(minutes),
                    r.GetValue(token), r.GetValue(data), Console.Out, Console.Error, ct, r.GetValue(serverPid), r.GetValue(workerPid),
                    r.GetValue(postgresPid), TimeSpan.FromSeconds(Math.Max(0, r.GetValue(settle))));
            }
            catch (HttpRequestException e)
            {
                // The server went away mid-run (stopped, killed): one line, not a stack trace.
                await Console.Error.WriteLineAsync($"nirssync: the server stopped answering during the bench: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal static async Task<int> RunAsync(Uri server, int count, int concurrency, int minutes, string? token,
        DirectoryInfo? data, TextWriter output, TextWriter error, CancellationToken cancellationToken, int? serverPid = null,
        int? workerPid = null, int? postgresPid = null, TimeSpan? settle = null)
    {
        if (count < 1 || concurrency < 1 || minutes < 1)
        {
            await error.WriteLineAsync("nirssync: --files, --concurrency and --minutes must be at least 1");
            return 2;
        }
        token ??= await AdminRunner.BenchTokenAsync(data, error);
        if (token is null) return 2;
        await output.WriteLineAsync($"generating {count} rides of {minutes} min ...");
        var runSeed = (int)(DateTime.UtcNow.Ticks % 1_000_000) * 1000;
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var rides = new byte[count][];
        Parallel.For(0, count, i => rides[i] = SyntheticRide.Generate(new SyntheticRideOptions
        {
            Seed = runSeed + i, Duration = TimeSpan.FromMinutes(minutes), Start = start.AddMinutes(i * 7),
        }));
        await output.WriteLineAsync($"uploading {count} files of ~{rides.Average(r => r.Length) / 1024:0} KiB to {server} with {concurrency} parallel requests");

        using var http = UploadClient.Create(server, token, concurrency);
        // Twice: the second round's calls take the code the first made hot to its last tier (tiered PGO).
        for (var round = 0; round < 2; round++)
        {
            await WarmUpAsync(http, concurrency * 4, concurrency, minutes, output, cancellationToken);
            await SettleAsync(settle ?? TimeSpan.FromSeconds(10), output, cancellationToken);
        }
        var methodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var before = await UploadClient.SummaryAsync(http, cancellationToken);
        var pid = serverPid ?? ServerCpu.FindServer();
        var cpuBefore = pid is { } p0 ? ServerCpu.Seconds(p0) + (workerPid is { } w0 ? ServerCpu.Seconds(w0) : 0) : null;
        var dbBefore = postgresPid is { } pg0 ? ServerCpu.TreeSeconds(pg0) : null;
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (latencies, errors) = await SendAllAsync(http, rides, concurrency, cancellationToken);
        var uploadSeconds = clock.Elapsed.TotalSeconds;
        UploadSummary summary;
        while ((summary = await UploadClient.SummaryAsync(http, cancellationToken)).Pending > 0)
            await Task.Delay(20, cancellationToken);
        var totalSeconds = clock.Elapsed.TotalSeconds;
        var cpuProcessed = pid is { } pp ? ServerCpu.Seconds(pp) + (workerPid is { } wp ? ServerCpu.Seconds(wp) : 0) : null;
        var trendClock = Stopwatch.StartNew();
        // The ride's share of the trend work: the server's CPU is read once the batched trend job has run.
        await WaitForTrendsAsync(http, cancellationToken);
        var trendSeconds = trendClock.Elapsed.TotalSeconds;

        var clientSeconds = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds;
        var sorted = latencies.Order().ToArray();
        var acknowledged = count - errors.Length;
        summary = new UploadSummary(0, summary.Processed - before.Processed, summary.Failed - before.Failed);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"acknowledged {acknowledged}/{count} in {uploadSeconds:0.00} s ({acknowledged / uploadSeconds:0.0} uploads/s)"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"processed {summary.Processed} (failed {summary.Failed}) in {totalSeconds:0.00} s: {acknowledged / totalSeconds:0.0} rides/s end to end"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"acknowledgement latency p50 {Percentile(sorted, 0.50):0.0} ms, p99 {Percentile(sorted, 0.99):0.0} ms, max {sorted[^1]:0.0} ms"));
        if (pid is { } p1 && cpuBefore is { } c0 && ServerCpu.Seconds(p1) + (workerPid is { } w1 ? ServerCpu.Seconds(w1) : 0) is { } c1)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"server CPU (process {p1}{(workerPid is { } w ? $" + {w}" : "")}): {c1 - c0:0.00} s for {acknowledged} rides, {(c1 - c0) * 1000 / Math.Max(1, acknowledged):0.00} ms per ride; load average {ServerCpu.LoadAverage()}"));
            if (cpuProcessed is { } cp)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  of which until every ride was processed {cp - c0:0.00} s, then until the trends were current ({trendSeconds:0.00} s later) {c1 - cp:0.00} s"));
        }
        else await output.WriteLineAsync("server CPU: not measured (no server process found on this machine; pass --server-pid)");
        // The bench shares the machine: what it spends sending and polling is CPU the server could not have.
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bench client CPU: {clientSeconds:0.00} s, {clientSeconds * 1000 / Math.Max(1, acknowledged):0.00} ms per ride ({System.Runtime.JitInfo.GetCompiledMethodCount() - methodsBefore} methods compiled during the run)"));
        if (postgresPid is { } pg1 && dbBefore is { } d0 && ServerCpu.TreeSeconds(pg1) is { } d1)
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"database CPU (postmaster {pg1} and its backends): {d1 - d0:0.00} s, {(d1 - d0) * 1000 / Math.Max(1, acknowledged):0.00} ms per ride"));
        foreach (var e in errors.Distinct().Take(5)) await error.WriteLineAsync($"nirssync: upload error: {e}");
        return errors.Length == 0 && summary.Failed == 0 ? 0 : 1;
    }

    /// <summary>Sends every ride, <paramref name="concurrency"/> at a time: each one's acknowledgement latency and the errors.</summary>
    private static async Task<(double[] Latencies, string[] Errors)> SendAllAsync(HttpClient http, byte[][] rides, int concurrency,
        CancellationToken cancellationToken)
    {
        var latencies = new double[rides.Length];
        var errors = new ConcurrentBag<string>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < rides.Length)
            {
                var t = Stopwatch.GetTimestamp();
                var result = await UploadClient.SendAsync(http, rides[i], cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (result.Status is null) errors.Add(result.Error!);
            }
        }));
        return (latencies, errors.ToArray());
    }

    /// <summary>
    /// Uploads a few rides first, the way the timed run does, and waits for them, so the figures describe a running
    /// server (and client) rather than first-request compilation.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient http, int count, int concurrency, int minutes, TextWriter output,
        CancellationToken cancellationToken)
    {
        var seed = (int)(DateTime.UtcNow.Ticks % 1_000_000) * 1000;
        var rides = new byte[count][];
        Parallel.For(0, count, i => rides[i] = SyntheticRide.Generate(new SyntheticRideOptions
        {
            Seed = -1 - seed - i, // negative: never the seed of a timed ride
            Duration = TimeSpan.FromMinutes(minutes), Start = DateTimeOffset.UtcNow.AddDays(-60).AddMinutes(i * 7),
        }));
        await SendAllAsync(http, rides, concurrency, cancellationToken);
        while ((await UploadClient.SummaryAsync(http, cancellationToken)).Pending > 0) await Task.Delay(20, cancellationToken);
        await output.WriteLineAsync($"warm-up: {count} rides uploaded and processed (not counted)");
    }

    /// <summary>
    /// Waits until this process has stopped compiling (at most <paramref name="limit"/>: --settle-seconds). The generator, the bench athlete's database
    /// access and the warm-up leave the runtime a backlog of methods to recompile optimised (tiered compilation);
    /// worked off during the timed run, it took 1.4 of the client's 1.75 s of CPU for 1,000 rides from the two cores
    /// the server is measured on (perf, thread ".NET Tiered Compilation"). A client on another machine would not
    /// charge the server with that.
    /// </summary>
    private static async Task SettleAsync(TimeSpan limit, TextWriter output, CancellationToken cancellationToken)
    {
        if (limit <= TimeSpan.Zero) return;
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        var methods = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (quiet < 3 && clock.Elapsed < limit)
        {
            await Task.Delay(200, cancellationToken);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            quiet = now == methods ? quiet + 1 : 0;
            methods = now;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await output.WriteLineAsync(quiet >= 3
            ? string.Create(CultureInfo.InvariantCulture, $"client compilation settled in {seconds:0.0} s ({methods} methods compiled)")
            : string.Create(CultureInfo.InvariantCulture, $"client compilation still going after {seconds:0.0} s ({methods} methods compiled); measuring anyway"));
    }

    /// <summary>Waits until the athlete's weekly trends include every stored ride (at most 60 s).</summary>
    private static async Task WaitForTrendsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var me = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/me", cancellationToken));
        if (!me.RootElement.TryGetProperty("athleteId", out var id) || id.GetString() is not { } athleteId) return;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var trends = System.Text.Json.JsonDocument.Parse(
                await http.GetStringAsync($"/api/athletes/{athleteId}/trends", cancellationToken));
            if (trends.RootElement.GetProperty("current").GetBoolean()) return;
            await Task.Delay(100, cancellationToken);
        }
    }

    internal static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}

/// <summary>CPU time of a process on this machine, from /proc/PID/stat (Linux).</summary>
internal static class ServerCpu
{
    /// <summary>User + system CPU seconds of process <paramref name="pid"/>, or null when it cannot be read.</summary>
    public static double? Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (in parentheses, which may hold spaces): state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / 100.0; // USER_HZ is 100 on Linux
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// CPU seconds of a process and its children: its own and its reaped children's time, plus the time of the children
    /// alive now (a PostgreSQL postmaster and its backends).
    /// </summary>
    public static double? TreeSeconds(int pid)
    {
        if (Fields(pid) is not { } own) return null;
        var total = Ticks(own, 11) + Ticks(own, 12) + Ticks(own, 13) + Ticks(own, 14);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child)) continue;
            if (Fields(child) is { } f && f.Length > 12 && f[1] == pid.ToString(CultureInfo.InvariantCulture))
                total += Ticks(f, 11) + Ticks(f, 12);
        }
        return total / 100.0;
    }

    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static long Ticks(string[] fields, int index) =>
        long.TryParse(fields[index], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>The process id of the one NirsSync.Server process on this machine; null for none or several.</summary>
    public static int? FindServer()
    {
        if (!Directory.Exists("/proc")) return null;
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains("NirsSync.Server", StringComparison.Ordinal) && !cmdline.Contains("nirssync", StringComparison.Ordinal))
                    found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found.Count == 1 ? found[0] : null;
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
