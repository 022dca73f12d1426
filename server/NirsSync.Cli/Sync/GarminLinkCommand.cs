using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NirsSync.Data.Accounts;
using NirsSync.Data;

namespace NirsSync.Cli.Sync;

/// <summary><c>nirssync admin link-garmin --athlete ID --garmin-user U --token T</c>.</summary>
internal static class GarminLinkCommand
{
    public static Command Create(Command admin)
    {
        var data = admin.Options.OfType<Option<DirectoryInfo?>>().FirstOrDefault(o => o.Name == "--data");
        var athlete = new Option<Guid>("--athlete") { Description = "The athlete id", Required = true };
        var user = new Option<string>("--garmin-user") { Description = "The athlete's Garmin Connect user id (the userId in Garmin's notifications)", Required = true };
        var token = new Option<string>("--token") { Description = "The athlete's Garmin OAuth access token, used to fetch the callback URLs", Required = true };
        var command = new Command("link-garmin", "Link an athlete to a Garmin Connect user so Garmin's activity-file pings reach them")
        {
            athlete, user, token,
        };
        command.SetAction((r, ct) => RunAsync(data is null ? null : r.GetValue(data), r.GetValue(athlete),
            r.GetValue(user)!, r.GetValue(token)!, Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(DirectoryInfo? data, Guid athleteId, string garminUser, string token,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>();
        if (data is not null) settings[$"{NirsOptions.Section}:DataDirectory"] = data.FullName;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddNirsData(configuration).AddScoped<GarminLinks>().BuildServiceProvider();
        try
        {
            await DataServices.MigrateAsync(services, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var link = await scope.ServiceProvider.GetRequiredService<GarminLinks>()
                .LinkAsync(athleteId, garminUser, token, cancellationToken);
            await output.WriteLineAsync($"athlete {link.AthleteId} linked to Garmin user {link.GarminUserId}");
            return 0;
        }
        catch (AccountException e)
        {
            await error.WriteLineAsync($"nirssync: {e.Message}");
            return 1;
        }
    }
}
