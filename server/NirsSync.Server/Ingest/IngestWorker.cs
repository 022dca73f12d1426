using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Ingest;

/// <summary>
/// Runs on nodes that run jobs: <see cref="NirsOptions.Workers"/> loops that each claim a pending upload from the
/// <see cref="IngestQueue"/> and ingest it (<see cref="IngestJob.RunClaimedAsync"/>), and sleep when there is none
/// until an upload wakes them or the poll interval passes; one more loop renews this node's claims and counts the
/// queue for the <c>nirssync_ingest_queue</c> metric. In postgres
/// mode a listener on <see cref="IngestQueue.Channel"/> wakes the loops when any web node stores an upload.
/// </summary>
internal sealed class IngestWorker(IServiceScopeFactory scopes, IngestQueue queue, IOptions<NirsOptions> options,
    ILogger<IngestWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = Enumerable.Range(0, Math.Max(1, options.Value.Workers))
            .Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)).ToList();
        loops.Add(Task.Run(() => RenewAsync(stoppingToken), CancellationToken.None));
        if (options.Value.IsPostgres) loops.Add(Task.Run(() => ListenAsync(stoppingToken), CancellationToken.None));
        return Task.WhenAll(loops);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Guid? claimed = null;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var services = scope.ServiceProvider;
                // One connection for the claim and the whole ingest (the scope's end closes it), not an open and a
                // close around each of its statements.
                var db = services.GetRequiredService<NirsDbContext>();
                await db.Database.OpenConnectionAsync(stoppingToken);
                // SQLite: the ingest's commits do not wait for the disk (IngestDurability: they are derived from the
                // upload, which was synced before it was acknowledged); the connection is synced again after.
                var relaxed = false;
                try
                {
                    relaxed = IngestDurability.Relax(db, options.Value);
                    claimed = await queue.ClaimAsync(db, services.GetRequiredService<WriteGate>(), stoppingToken);
                    if (claimed is { } id)
                    {
                        try
                        {
                            await services.GetRequiredService<IngestJob>().RunClaimedAsync(id);
                        }
                        finally
                        {
                            queue.Finished(id);
                        }
                    }
                }
                finally
                {
                    if (relaxed) IngestDurability.Restore(db);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // a claimed upload stays pending; its lease lapses and another run takes it
            }
            catch (Exception e)
            {
                // The job records its own failures; this is a fault around it (the database away, say). Back off,
                // and let the upload be claimed again (its attempt is counted).
                log.LogError(e, "Ingest worker fault{Upload}", claimed is { } c ? $" on upload {c}" : "");
                await ReleaseQuietlyAsync(claimed);
                if (!await DelayAsync(TimeSpan.FromSeconds(1), stoppingToken)) return;
                continue;
            }
            if (claimed is null && !await queue.WaitAsync(stoppingToken)) return;
        }
    }

    private async Task ReleaseQuietlyAsync(Guid? uploadId)
    {
        if (uploadId is not { } id) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await queue.ReleaseAsync(scope.ServiceProvider.GetRequiredService<NirsDbContext>(),
                scope.ServiceProvider.GetRequiredService<WriteGate>(), id,
                TimeSpan.FromSeconds(Math.Max(0.05, options.Value.IngestRetryBaseSeconds)));
        }
        catch (Exception e)
        {
            // Its claim is no longer renewed (the run ended), so it lapses and another run takes the upload.
            log.LogWarning(e, "Could not release upload {UploadId}; it is claimed again when its lease lapses", id);
        }
    }

    private async Task RenewAsync(CancellationToken stoppingToken)
    {
        var every = queue.Lease / 3;
        while (await DelayAsync(every, stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
                await queue.RenewAsync(db, scope.ServiceProvider.GetRequiredService<WriteGate>(), stoppingToken);
                var (waiting, claimed) = await queue.DepthAsync(db, stoppingToken);
                Observability.NirsMetrics.SetIngestQueue(waiting, claimed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not renew this node's ingest claims");
            }
        }
    }

    /// <summary>PostgreSQL: LISTEN on the queue's channel and wake a loop per notification; reconnects after faults.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Its own connection, outside the pool: it stays open listening for the life of the node.
                await using var connection = new Npgsql.NpgsqlConnection(
                    new Npgsql.NpgsqlConnectionStringBuilder(options.Value.Postgres) { Pooling = false }.ConnectionString);
                connection.Notification += (_, _) => queue.Wake();
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new Npgsql.NpgsqlCommand($"LISTEN {IngestQueue.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                queue.Wake(); // anything stored while this node was not listening
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Ingest listener lost its connection; polling until it is back");
                if (!await DelayAsync(TimeSpan.FromSeconds(2), stoppingToken)) return;
            }
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
