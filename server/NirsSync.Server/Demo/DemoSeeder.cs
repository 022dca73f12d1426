using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using NirsSync.Data.Documents;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using NirsSync.Fit.Synthetic;
using NirsSync.Data.Accounts;
using NirsSync.Data;

namespace NirsSync.Server.Demo;

/// <summary>
/// <c>--seed-demo</c>: once the server listens, creates the demo coach and athletes (<c>--demo-athletes N</c>, default 2;
/// Lena and Tom also get their own sign-in) and uploads <c>--demo-weeks W</c> (default 12) weeks of their generated
/// rides through the real upload endpoint, like a device sync would. Does nothing when the demo coach exists already,
/// so a restart with the flag is harmless.
/// </summary>
internal sealed class DemoSeeder(IServiceProvider services, IServer server, IHostApplicationLifetime lifetime,
    TimeProvider clock, IConfiguration configuration, ILogger<DemoSeeder> log) : BackgroundService
{
    public const string AthletesSetting = "NirsSync:DemoAthletes";
    public const string WeeksSetting = "NirsSync:DemoWeeks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var athletes = configuration.GetValue(AthletesSetting, 2);
        var weeks = configuration.GetValue(WeeksSetting, DemoPlan.Weeks);
        if (athletes is < 1 or > 500 || weeks is < 1 or > 260)
        {
            log.LogError("Demo not seeded: --demo-athletes must be 1-500 and --demo-weeks 1-260 (got {Athletes} and {Weeks})", athletes, weeks);
            return;
        }
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        var tokens = await CreateAccountsAsync(DemoPlan.Team(athletes));
        if (tokens is null)
        {
            log.LogInformation("Demo data exists already; sign in as {Email}", DemoPlan.CoachEmail);
            return;
        }
        var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
        var now = clock.GetUtcNow();
        await PlacementsAndSpotChecksAsync(address, tokens, now, weeks, stoppingToken);
        var count = 0;
        var rides = tokens.SelectMany(t => DemoPlan.Rides(t.Athlete, now, weeks).Select(o => (Options: o, t.Token))).ToList();
        await Parallel.ForEachAsync(rides, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stoppingToken },
            async (ride, ct) =>
            {
                using var content = new ByteArrayContent(SyntheticRide.Generate(ride.Options));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/uploads") { Content = content };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ride.Token);
                using var response = await http.SendAsync(request, ct);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref count);
            });
        log.LogInformation("Demo seeded: {Rides} rides uploaded for {Athletes} athletes over {Weeks} weeks; open {Address}/dashboard and sign in as {Email} / {Password} (riders: {Rider} / {RiderPassword})",
            count, tokens.Count, weeks, address, DemoPlan.CoachEmail, DemoPlan.CoachPassword, DemoPlan.Athletes[0].Email, DemoPlan.RiderPassword);
    }

    /// <summary>
    /// Through the real routes, as a coach and a rider would: the coach signs in and records the re-taped sensor in the
    /// sensor map (before the rides arrive, so they are analysed with it), and each rider posts the weekly resting spot
    /// checks with their upload token.
    /// </summary>
    private async Task PlacementsAndSpotChecksAsync(string address, List<(DemoPlan.DemoAthlete Athlete, string Token)> tokens,
        DateTimeOffset now, int weeks, CancellationToken ct)
    {
        using var coach = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(address) };
        using (var login = await coach.PostAsJsonAsync("/api/auth/login", new { email = DemoPlan.CoachEmail, password = DemoPlan.CoachPassword }, ct))
            login.EnsureSuccessStatusCode();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        foreach (var (athlete, token) in tokens)
        {
            var id = await AthleteIdAsync(http, token, ct);
            if (DemoPlan.SensorMap(athlete, now, weeks) is { } map)
            {
                using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/athletes/{id}/sensor-map") { Content = JsonContent.Create(map, options: AnalysisJson.Options) };
                // A cookie write from the server's own origin, as the dashboard's would be.
                put.Headers.Add("Origin", address.TrimEnd('/'));
                using var response = await coach.SendAsync(put, ct);
                response.EnsureSuccessStatusCode();
            }
            foreach (var check in DemoPlan.SpotChecks(athlete, now, weeks))
            {
                using var post = new HttpRequestMessage(HttpMethod.Post, $"/api/athletes/{id}/spot-checks") { Content = JsonContent.Create(check, options: AnalysisJson.Options) };
                post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(post, ct);
                response.EnsureSuccessStatusCode();
            }
        }
    }

    private static async Task<Guid> AthleteIdAsync(HttpClient http, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var me = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
        return me.GetProperty("athleteId").GetGuid();
    }

    private async Task<List<(DemoPlan.DemoAthlete Athlete, string Token)>?> CreateAccountsAsync(IReadOnlyList<DemoPlan.DemoAthlete> team)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        if (await db.Users.AnyAsync(u => u.Email == DemoPlan.CoachEmail)) return null;
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        // Not an admin: its password is in the README (an operator promotes a real account with `nirssync admin promote`).
        await accounts.AddCoachAsync(DemoPlan.CoachEmail, DemoPlan.CoachPassword, admin: false);
        var result = new List<(DemoPlan.DemoAthlete, string)>();
        foreach (var athlete in team)
        {
            var (row, token) = await accounts.AddAthleteAsync(athlete.Name, DemoPlan.CoachEmail);
            if (DemoPlan.Athletes.Contains(athlete)) await accounts.AddAthleteLoginAsync(row.Id, athlete.Email, DemoPlan.RiderPassword);
            result.Add((athlete, token.Token));
        }
        return result;
    }
}
