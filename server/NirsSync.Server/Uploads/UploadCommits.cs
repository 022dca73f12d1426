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
        if (!_grouped)
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
        while (batch.Count < MaxBatch && _waiting.TryDequeue(out var next))
            if (next.Take()) batch.Add(next);
        if (batch.Count == 0) return;
        // The commit is the group's, not this request's: a client that leaves does not cancel the others' uploads.
        db.ChangeTracker.Clear();
        foreach (var p in batch)
        {
            db.Uploads.Add(p.Upload);
            db.UploadBlobs.Add(p.Blob);
        }
        try
        {
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            Interlocked.Increment(ref _commits);
            Observability.NirsMetrics.UploadCommits.Add(1);
            foreach (var p in batch) p.Done.TrySetResult(Outcome.Stored);
            if (batch.Count > 1) log.LogDebug("Stored {Count} uploads in one commit", batch.Count);
            return;
        }
        catch (DbUpdateException) when (batch.Count == 1)
        {
            // The same file arrived twice at once and the other request committed first (the unique athlete and
            // hash): the caller answers with that upload.
            db.ChangeTracker.Clear();
            batch[0].Done.TrySetResult(Outcome.Duplicate);
            return;
        }
        catch (DbUpdateException)
        {
            // One of them is a duplicate (the same file twice at once): nothing of the group was stored; each alone.
            db.ChangeTracker.Clear();
        }
        catch (Exception e)
        {
            db.ChangeTracker.Clear();
            foreach (var p in batch) p.Done.TrySetException(e);
            return;
        }
        foreach (var p in batch)
        {
            try
            {
                p.Done.TrySetResult(await CommitOneAsync(db, p.Upload, p.Blob).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                p.Done.TrySetException(e);
            }
        }
    }

    private async Task<Outcome> CommitOneAsync(NirsDbContext db, Upload upload, UploadBlob blob)
    {
        db.ChangeTracker.Clear();
        db.Uploads.Add(upload);
        db.UploadBlobs.Add(blob);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref _commits);
            Observability.NirsMetrics.UploadCommits.Add(1);
            return Outcome.Stored;
        }
        catch (DbUpdateException)
        {
            // The same file arrived twice at once and the other request committed first (the unique athlete and
            // hash): the caller answers with that upload.
            return Outcome.Duplicate;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>One upload waiting for a commit: queued, then taken by a commit or abandoned by its request.</summary>
    private sealed class Pending(Upload upload, UploadBlob blob)
    {
        private int _state; // 0 queued, 1 taken by a commit, 2 abandoned

        public Upload Upload { get; } = upload;
        public UploadBlob Blob { get; } = blob;
        public TaskCompletionSource<Outcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Take() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public bool Abandon() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;
    }
}
