using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Uploads;

/// <summary>
/// Group commit of new uploads (SQLite). An upload is acknowledged only once its row and bytes are on disk, and
/// with one writer every acknowledgement used to wait for a commit and a sync of its own. Here the uploads that
/// arrive while the writer is busy are stored together: whoever takes the <see cref="WriteGate"/> next commits every
/// upload waiting at that moment in one transaction (one sync), and each request returns when the commit holding its
/// upload did. No request waits for others to arrive (a lone upload commits at once), and none is acknowledged
/// before its own bytes are synced. PostgreSQL commits each upload on its own connection (its own group commit
/// applies), so in postgres mode every upload is stored by its own request as before.
/// </summary>
public sealed class UploadCommits(IOptions<NirsOptions> options, WriteGate gate, ILogger<UploadCommits> log)
{
    /// <summary>At most this many uploads in one transaction; the rest wait for the next.</summary>
    internal const int MaxBatch = 32;

    /// <summary>At most this many bytes of uploads in one transaction (a single larger upload goes alone).</summary>
    internal const long MaxBatchBytes = 16 * 1024 * 1024;

    private readonly bool _grouped = !options.Value.IsPostgres;
    private readonly ConcurrentQueue<Pending> _waiting = new();
    private long _commits;

    /// <summary>Group commits that stored uploads since start (each also counted in <c>nirssync_uploads_commits_total</c>).</summary>
    internal long Commits => Interlocked.Read(ref _commits);

    /// <summary>Uploads waiting for a commit now.</summary>
    internal int Waiting => _waiting.Count;

    /// <summary>How a store ended for one upload.</summary>
    public enum Outcome
    {
        Stored,

        /// <summary>The athlete already has these bytes (another request stored them first): nothing was stored.</summary>
        Duplicate,
    }

    /// <summary>
    /// Stores a new upload and its bytes, synced, through <paramref name="db"/> (a request's context) or the
    /// context of whichever request commits the group it joined. Throws what the commit threw (nothing was stored).
    /// </summary>
    public async Task<Outcome> StoreAsync(NirsDbContext db, Upload upload, UploadBlob blob, CancellationToken cancellationToken)
    {
        // A caller inside its own transaction commits its upload with that transaction, alone: a group's uploads must
        // be committed before their requests are answered, which another request's transaction cannot promise.
        if (!_grouped || db.Database.CurrentTransaction is not null)
            return await gate.RunAsync(() => CommitOneAsync(db, upload, blob), upload: true, cancellationToken).ConfigureAwait(false);
        var pending = new Pending(upload, blob);
        _waiting.Enqueue(pending);
        try
        {
            while (!pending.Done.Task.IsCompleted)
            {
                await gate.RunAsync(async () =>
                {
                    // Committed by the request that held the gate before: nothing to do.
                    if (pending.Done.Task.IsCompleted) return;
                    await CommitWaitingAsync(db).ConfigureAwait(false);
                }, upload: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Gone before a commit took it: it is left out of every later one. Taken already: its commit decides.
            if (pending.Abandon()) throw;
        }
        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Commits the uploads waiting now (up to <see cref="MaxBatch"/>) in one transaction. Runs inside the gate.</summary>
    private async Task CommitWaitingAsync(NirsDbContext db)
    {
        var batch = new List<Pending>(Math.Min(MaxBatch, _waiting.Count + 1));
        long bytes = 0;
        // Only the gate's holder takes from the queue, so what it peeked at is what it dequeues.
        while (batch.Count < MaxBatch && _waiting.TryPeek(out var next)
               && (batch.Count == 0 || bytes + next.Size <= MaxBatchBytes) && _waiting.TryDequeue(out _))
        {
            if (!next.Take()) continue;
            batch.Add(next);
            bytes += next.Size;
        }
        if (batch.Count == 0) return;
        if (batch.Count == 1)
        {
            await CompleteAsync(batch[0], db).ConfigureAwait(false);
            return;
        }
        // The commit is the group's, not this request's: a client that leaves does not cancel the others' uploads.
        try
        {
            await SaveAsync(db, batch.Select(p => (p.Upload, p.Blob))).ConfigureAwait(false);
            foreach (var p in batch) p.Done.TrySetResult(Outcome.Stored);
            log.LogDebug("Stored {Count} uploads in one commit", batch.Count);
            return;
        }
        catch (Exception e) when (RowInsert.IsConstraintViolation(e))
        {
            // One of them is refused (a duplicate: the same file twice at once; or a row the schema refuses): nothing
            // of the group was stored, so each is committed alone and only that one fails.
        }
        catch (Exception e)
        {
            foreach (var p in batch) p.Done.TrySetException(e);
            return;
        }
        foreach (var p in batch) await CompleteAsync(p, db).ConfigureAwait(false);
    }

    /// <summary>Commits one upload alone and completes its request (stored, a duplicate, or the error).</summary>
    private async Task CompleteAsync(Pending pending, NirsDbContext db)
    {
        try
        {
            pending.Done.TrySetResult(await CommitOneAsync(db, pending.Upload, pending.Blob).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private async Task<Outcome> CommitOneAsync(NirsDbContext db, Upload upload, UploadBlob blob)
    {
        try
        {
            await SaveAsync(db, [(upload, blob)]).ConfigureAwait(false);
            return Outcome.Stored;
        }
        catch (Exception e) when (RowInsert.IsUniqueViolation(e))
        {
            // The same file arrived twice at once and the other request committed first (the unique athlete and
            // hash): the caller answers with that upload.
            return Outcome.Duplicate;
        }
    }

    /// <summary>
    /// Inserts the uploads and their bytes in one transaction (<see cref="RowInsert"/>: nothing is tracked, so the
    /// caller's context keeps tracking only what it tracked before; a job may hold entities of its own there).
    /// </summary>
    private async Task SaveAsync(NirsDbContext db, IEnumerable<(Upload Upload, UploadBlob Blob)> uploads)
    {
        // A caller's own transaction (only outside a group) commits these rows with its own commit.
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync().ConfigureAwait(false) : null;
        foreach (var (upload, blob) in uploads)
        {
            await RowInsert.InsertAsync(db, upload).ConfigureAwait(false);
            await RowInsert.InsertAsync(db, blob).ConfigureAwait(false);
        }
        if (tx is null) return;
        await tx.CommitAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _commits);
        Observability.NirsMetrics.UploadCommits.Add(1);
    }

    /// <summary>One upload waiting for a commit: queued, then taken by a commit or abandoned by its request.</summary>
    private sealed class Pending(Upload upload, UploadBlob blob)
    {
        private int _state; // 0 queued, 1 taken by a commit, 2 abandoned

        public Upload Upload { get; private set; } = upload;
        public UploadBlob Blob { get; private set; } = blob;
        public long Size { get; } = blob.Bytes.LongLength;
        public TaskCompletionSource<Outcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Take() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        /// <summary>Leaves the queue's entry empty: the bytes are not held until the next commit passes by.</summary>
        public bool Abandon()
        {
            if (Interlocked.CompareExchange(ref _state, 2, 0) != 0) return false;
            Upload = null!;
            Blob = null!;
            return true;
        }
    }
}
