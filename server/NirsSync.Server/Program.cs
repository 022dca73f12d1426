using NirsSync.Server.Hosting;

namespace NirsSync.Server;

/// <summary>
/// Entry point: <c>dotnet run --project server/NirsSync.Server</c> serves on http://localhost:5080.
/// <c>-- --seed-demo</c> also fills the database with a demo coach and two athletes.
/// </summary>
public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var seed = args.Contains("--seed-demo");
        var app = NirsApp.Build(seed ? [.. args.Where(a => a != "--seed-demo"), "--NirsSync:SeedDemo=true"] : args);
        await app.RunAsync();
    }
}
