using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NirsSync.Server.Accounts;
using NirsSync.Server.Hosting;

namespace NirsSync.Cli.Admin;

/// <summary>Opens the server's database (migrating it when new) and runs one account operation.</summary>
internal sealed class AdminRunner(AccountService accounts, TextWriter output)
{
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

    public async Task AddCoachAsync(string email, string password, bool admin)
    {
        var coach = await accounts.AddCoachAsync(email, password, admin);
        await output.WriteLineAsync($"coach {coach.Email} created{(admin ? " (admin)" : "")}; id {coach.Id}");
    }

    public async Task AddAthleteAsync(string name, string coachEmail)
    {
        var (athlete, token) = await accounts.AddAthleteAsync(name, coachEmail);
        await output.WriteLineAsync($"athlete-id: {athlete.Id}");
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

    public async Task RevokeTokensAsync(Guid athleteId)
    {
        var count = await accounts.RevokeTokensAsync(athleteId);
        await output.WriteLineAsync($"revoked {count} upload token(s) of athlete {athleteId}");
    }
}
