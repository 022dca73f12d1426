using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using NirsSync.Cli.Upload;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync bench overview --server URL --email E --password P [--requests 20]</c>: signs in as a coach and opens the
/// team overview (<c>/dashboard</c>) repeatedly; prints the median and p90 of the server's own time for the page (its
/// <c>Server-Timing: overview;dur=</c> header) and of the time seen by the client. Seed a team first, e.g.
/// <c>--seed-demo --demo-athletes 50 --demo-weeks 52</c>.
/// </summary>
internal static class OverviewBench
{
    public static Command Create()
    {
        var server = new Option<Uri>("--server")
        {
            Description = "Server address", DefaultValueFactory = _ => new Uri("http://localhost:5080"),
            CustomParser = ServerAddress.Parse,
        };
        var email = new Option<string>("--email") { Description = "The coach's sign-in", DefaultValueFactory = _ => "coach@demo.nirssync" };
        var password = new Option<string>("--password") { Description = "The coach's password", DefaultValueFactory = _ => "demo-coach-password" };
        var requests = new Option<int>("--requests") { Description = "Timed requests (after 3 warm-up requests)", DefaultValueFactory = _ => 20 };
        var command = new Command("overview", "Time the team overview of a running server: median server time of N requests")
        {
            server, email, password, requests,
        };
        command.SetAction((r, ct) => RunAsync(r.GetValue(server)!, r.GetValue(email)!, r.GetValue(password)!, r.GetValue(requests),
            Console.Out, Console.Error, ct));
        return command;
    }

    internal static async Task<int> RunAsync(Uri server, string email, string password, int requests, TextWriter output,
        TextWriter error, CancellationToken ct)
    {
        if (requests < 1)
        {
            await error.WriteLineAsync("nirssync: --requests must be at least 1");
            return 2;
        }
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = server, Timeout = TimeSpan.FromSeconds(60),
        };
        using (var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password }, ct))
            if (login.StatusCode != HttpStatusCode.NoContent)
            {
                await error.WriteLineAsync($"nirssync: sign-in as {email} at {server} failed: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync(ct)}");
                return 1;
            }
        var serverMs = new List<double>();
        var clientMs = new List<double>();
        var athletes = 0;
        for (var i = -3; i < requests; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync("/dashboard", ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            watch.Stop();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await error.WriteLineAsync($"nirssync: GET /dashboard answered {(int)response.StatusCode}");
                return 1;
            }
            if (i < 0) continue;
            var timing = response.Headers.TryGetValues("Server-Timing", out var values) ? values.FirstOrDefault() : null;
            var dur = timing?.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal));
            if (dur is null || !double.TryParse(dur[4..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                await error.WriteLineAsync("nirssync: the answer has no 'Server-Timing: overview;dur=' header");
                return 1;
            }
            serverMs.Add(ms);
            clientMs.Add(watch.Elapsed.TotalMilliseconds);
            athletes = CountOf(body, "<tr class=\"athlete\"");
        }
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"team overview of {athletes} athletes, {requests} requests: server median {Percentile(serverMs, 0.5):0.0} ms, p90 {Percentile(serverMs, 0.9):0.0} ms, max {serverMs.Max():0.0} ms; client median {Percentile(clientMs, 0.5):0.0} ms"));
        return 0;
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(sorted.Count - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
