using Microsoft.Extensions.Options;

namespace NirsSync.Data;

/// <summary>
/// SQLite allows one writer at a time; writers that collide spin on SQLITE_BUSY with sleeps that
/// ruin acknowledgement latency. Every write in the process takes this gate instead, so writers
/// queue in order. Uploads take it with priority over background jobs. PostgreSQL has row locks and
/// many writers (and several nodes), so in postgres mode the gate lets every write through at once.
/// </summary>
public sealed class WriteGate(IOptions<NirsOptions> options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _open = options.Value.IsPostgres;
    private int _waitingUploads;

    /// <summary>Runs <paramref name="write"/> alone. Upload writes pass before waiting job writes.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> write, bool upload, CancellationToken cancellationToken = default)
    {
        if (_open) return await write().ConfigureAwait(false);
        if (upload) Interlocked.Increment(ref _waitingUploads);
        try
        {
            while (true)
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (upload || Volatile.Read(ref _waitingUploads) == 0) break;
                _gate.Release();
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (upload) Interlocked.Decrement(ref _waitingUploads);
        }
        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task RunAsync(Func<Task> write, bool upload, CancellationToken cancellationToken = default) =>
        RunAsync(async () => { await write().ConfigureAwait(false); return true; }, upload, cancellationToken);
}
