using NirsSync.Data;
using NirsSync.Server.Hosting;

namespace NirsSync.Server;

/// <summary>
/// Entry point: <c>dotnet run --project server/NirsSync.Server</c> serves on http://localhost:5080.
/// <c>-- --seed-demo</c> also fills the database with a demo coach and two athletes.
/// </summary>
public sealed class Program
{
    /// <summary>Exit code when the database settings are wrong or the database cannot be reached at start.</summary>
    public const int DatabaseExitCode = 3;

    public static async Task<int> Main(string[] args)
    {
        var seed = args.Contains("--seed-demo");
        WebApplication app;
        try
        {
            app = NirsApp.Build(seed ? [.. args.Where(a => a != "--seed-demo"), "--NirsSync:SeedDemo=true"] : args);
        }
        catch (DatabaseConfigurationException e)
        {
            // Before the host (and its logging) exists: one line on standard error.
            await Console.Error.WriteLineAsync($"nirssync server: cannot start: {e.Message}");
            return DatabaseExitCode;
        }
        try
        {
            // Migrate before the host starts, so that a database we cannot use is one log line and an exit code,
            // not the host's stack trace.
            await app.Services.GetRequiredService<DatabaseStartup>().PrepareAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DatabaseUnavailableException or DatabaseConfigurationException)
        {
            app.Logger.LogCritical("Cannot start: {Problem}", e.Message);
            await app.DisposeAsync();
            return DatabaseExitCode;
        }
        await app.RunAsync();
        return 0;
    }
}
