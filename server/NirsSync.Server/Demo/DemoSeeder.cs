using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using NirsSync.Fit.Synthetic;
using NirsSync.Data.Accounts;
using NirsSync.Data;

namespace NirsSync.Server.Demo;

/// <summary>
/// <c>--seed-demo</c>: once the server listens, creates the demo coach and athletes and uploads their
/// generated rides through the real upload endpoint, like a device sync would. Does nothing when the
/// demo coach exists already, so a restart with the flag is harmless.
/// </summary>
internal sealed class DemoSeeder(IServiceProvider services, IServer server, IHostApplicationLifetime lifetime,
    TimeProvider clock, ILogger<DemoSeeder> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        var tokens = await CreateAccountsAsync();
        if (tokens is null)
        {
            log.LogInformation("Demo data exists already; sign in as {Email}", DemoPlan.CoachEmail);
            return;
        }
        var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var count = 0;
        foreach (var (athlete, token) in tokens)
        {
            var options = DemoPlan.Rides(athlete, clock.GetUtcNow()).ToList();
            await Parallel.ForEachAsync(options, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stoppingToken },
                async (ride, ct) =>
                {
                    using var content = new ByteArrayContent(SyntheticRide.Generate(ride));
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/uploads") { Content = content };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await http.SendAsync(request, ct);
                    response.EnsureSuccessStatusCode();
                    Interlocked.Increment(ref count);
                });
        }
        log.LogInformation("Demo seeded: {Rides} rides uploaded for {Athletes} athletes; open {Address}/dashboard and sign in as {Email} / {Password}",
            count, tokens.Count, address, DemoPlan.CoachEmail, DemoPlan.CoachPassword);
    }

    private async Task<List<(DemoPlan.DemoAthlete Athlete, string Token)>?> CreateAccountsAsync()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        if (await db.Users.AnyAsync(u => u.Email == DemoPlan.CoachEmail)) return null;
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        // Not an admin: its password is in the README (an operator promotes a real account with `nirssync admin promote`).
        await accounts.AddCoachAsync(DemoPlan.CoachEmail, DemoPlan.CoachPassword, admin: false);
        var result = new List<(DemoPlan.DemoAthlete, string)>();
        foreach (var athlete in DemoPlan.Athletes)
        {
            var (_, token) = await accounts.AddAthleteAsync(athlete.Name, DemoPlan.CoachEmail);
            result.Add((athlete, token.Token));
        }
        return result;
    }
}
