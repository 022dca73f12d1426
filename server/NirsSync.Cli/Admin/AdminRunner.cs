using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NirsSync.Data.Accounts;
using NirsSync.Data;

namespace NirsSync.Cli.Admin;

/// <summary>Opens the server's database (migrating it when new) and runs one account operation.</summary>
internal sealed class AdminRunner(AccountService accounts, TextWriter output)
{
    private AccountService Accounts => accounts;

    public static async Task<int> RunAsync(DirectoryInfo? data, TextWriter output, TextWriter error,
        Func<AdminRunner, Task> action)
    {
        var settings = new Dictionary<string, string?>();
        if (data is not null) settings[$"{NirsOptions.Section}:DataDirectory"] = data.FullName;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddNirsData(configuration).BuildServiceProvider();
        await using (services.ConfigureAwait(false))
        {
            try
            {
                await DataServices.MigrateAsync(services);
                await using var scope = services.CreateAsyncScope();
                await action(new AdminRunner(scope.ServiceProvider.GetRequiredService<AccountService>(), output));
                return 0;
            }
            catch (AccountException e)
            {
                await error.WriteLineAsync($"nirssync: {e.Message}");
                return 1;
            }
        }
    }

    /// <summary>A fresh bench athlete's token (under a bench coach created on first use), or null after printing why not.</summary>
    public static async Task<string?> BenchTokenAsync(DirectoryInfo? data, TextWriter error)
    {
        string? token = null;
        var rc = await RunAsync(data, TextWriter.Null, error, async runner =>
        {
            const string coach = "bench@nirssync.local";
            try { await runner.Accounts.AddCoachAsync(coach, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))); }
            catch (AccountException) { }
            var (_, issued) = await runner.Accounts.AddAthleteAsync($"bench {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}", coach);
            token = issued.Token;
        });
        return rc == 0 ? token : null;
    }

    public async Task AddCoachAsync(string email, string password, bool admin)
    {
        var coach = await accounts.AddCoachAsync(email, password, admin);
        await output.WriteLineAsync($"coach {coach.Email} created{(admin ? " (admin)" : "")}; id {coach.Id}");
    }

    public async Task AddAthleteAsync(string name, string? coachEmail, string timeZone = AthleteTimeZones.Utc,
        string? email = null, string? password = null)
    {
        if ((email is null) != (password is null))
            throw new AccountException("--email and --password go together (the athlete's own sign-in)");
        if (coachEmail is null && email is null)
            throw new AccountException("give --coach EMAIL, or --email and --password for a self-coached rider");
        Athlete athlete;
        IssuedToken token;
        if (coachEmail is null) (athlete, token) = await accounts.AddSelfCoachedAthleteAsync(name, email!, password!, timeZone);
        else
        {
            (athlete, token) = await accounts.AddAthleteAsync(name, coachEmail, timeZone);
            if (email is not null) await accounts.AddAthleteLoginAsync(athlete.Id, email, password!);
        }
        await output.WriteLineAsync($"athlete-id: {athlete.Id}");
        if (email is not null) await output.WriteLineAsync($"sign-in: {email}{(coachEmail is null ? " (self-coached)" : "")}");
        await output.WriteLineAsync($"upload-token: {token.Token}");
        await output.WriteLineAsync("The token is shown only now; the server keeps only its hash.");
    }

    public async Task IssueTokenAsync(Guid athleteId)
    {
        var token = await accounts.IssueTokenAsync(athleteId);
        await output.WriteLineAsync($"athlete-id: {athleteId}");
        await output.WriteLineAsync($"upload-token: {token.Token}");
        await output.WriteLineAsync("The token is shown only now; the server keeps only its hash.");
    }

    public async Task SetAdminAsync(string email, bool admin)
    {
        var changed = await accounts.SetAdminAsync(email, admin);
        await output.WriteLineAsync(changed
            ? $"coach {email.Trim()} is {(admin ? "now an admin" : "no longer an admin; their sessions have ended")}"
            : $"coach {email.Trim()} {(admin ? "is an admin already" : "is not an admin")}; nothing changed");
    }

    public async Task RevokeTokensAsync(Guid athleteId)
    {
        var count = await accounts.RevokeTokensAsync(athleteId);
        await output.WriteLineAsync($"revoked {count} upload token(s) of athlete {athleteId}");
    }
}
