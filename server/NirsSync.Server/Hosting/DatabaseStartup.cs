using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Hosting;

/// <summary>
/// Runs first among the hosted services: applies the migrations of the configured provider. In postgres mode
/// every node does it under one advisory lock (so nodes starting together migrate one after the other) and
/// installs Hangfire's schema under the same lock. <see cref="Program.Main"/> calls <see cref="PrepareAsync"/>
/// before the host starts so that a database it cannot use ends the process with one log line; the hosted
/// service then has nothing left to do (it is what prepares the database for in-process test hosts).
/// </summary>
internal sealed class DatabaseStartup(IServiceProvider services) : IHostedService
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private bool _done;

    public const string HangfireSchema = "hangfire";

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await Once.WaitAsync(cancellationToken);
        try
        {
            if (_done) return;
            var options = services.GetRequiredService<IOptions<NirsOptions>>().Value;
            if (!NodeRoles.IsKnown(options.Role))
                throw new DatabaseConfigurationException($"NirsSync:Role is '{options.Role}'; expected 'all', 'web' or 'worker'");
            await DataServices.MigrateAsync(services, cancellationToken,
                options.IsPostgres ? (connection, _) => { PostgreSqlObjectsInstaller.Install(connection, HangfireSchema); return Task.CompletedTask; } : null);
            _done = true;
        }
        finally
        {
            Once.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => PrepareAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
