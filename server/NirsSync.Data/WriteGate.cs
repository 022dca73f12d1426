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
        await EnterAsync(upload, cancellationToken, throwIfCancelled: true).ConfigureAwait(false);
        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> alone unless <paramref name="giveUp"/> is cancelled while it waits for its turn:
    /// then it returns false at once, without an exception and without running it (a write someone else did meanwhile:
    /// the waiter leaves the queue instead of taking the gate for nothing).
    /// </summary>
    public async Task<bool> TryRunAsync(Func<Task> write, bool upload, CancellationToken giveUp)
    {
        if (!_open && !await EnterAsync(upload, giveUp, throwIfCancelled: false).ConfigureAwait(false)) return false;
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        finally
        {
            if (!_open) _gate.Release();
        }
    }

    /// <summary>Takes the gate (uploads first); false when cancelled first and not asked to throw.</summary>
    private async Task<bool> EnterAsync(bool upload, CancellationToken cancellationToken, bool throwIfCancelled)
    {
        if (upload) Interlocked.Increment(ref _waitingUploads);
        try
        {
            while (true)
            {
                var wait = _gate.WaitAsync(cancellationToken);
                await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (wait.IsCanceled)
                {
                    if (throwIfCancelled) cancellationToken.ThrowIfCancellationRequested();
                    return false;
                }
                if (upload || Volatile.Read(ref _waitingUploads) == 0) return true;
                _gate.Release();
                await Task.Delay(1, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            if (upload) Interlocked.Decrement(ref _waitingUploads);
        }
    }

    public Task RunAsync(Func<Task> write, bool upload, CancellationToken cancellationToken = default) =>
        RunAsync(async () => { await write().ConfigureAwait(false); return true; }, upload, cancellationToken);
}
