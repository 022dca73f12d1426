using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Hosting;

/// <summary>
/// SQLite: runs the <see cref="WalCheckpointer"/> for the life of the server (every role: one process owns the
/// database), after <see cref="DatabaseStartup"/> prepared it, and publishes each pass to the metrics.
/// </summary>
internal sealed class WalCheckpointService(WalCheckpointer checkpointer, IOptions<NirsOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.CheckpointsInBackground
            ? Task.Run(() => checkpointer.RunAsync(stoppingToken, Observability.NirsMetrics.Checkpointed), CancellationToken.None)
            : Task.CompletedTask;
}
