using System.Net.Http.Headers;
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
        var count = 0;
        var now = clock.GetUtcNow();
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
