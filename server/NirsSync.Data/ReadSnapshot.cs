using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace NirsSync.Data;

/// <summary>
/// A read-only transaction: every query of <see cref="NirsDbContext"/> inside it reads one snapshot, and it takes no
/// write lock. PostgreSQL: REPEATABLE READ. SQLite: a deferred transaction (its snapshot starts at its first read).
/// EF Core's <c>BeginTransaction</c> on SQLite is <c>BEGIN IMMEDIATE</c> whatever the isolation level asked: it takes
/// the database's one write lock, so a reader using it outside the <see cref="WriteGate"/> made the writer inside the
/// gate fail with SQLITE_BUSY, and Microsoft.Data.Sqlite retries that only after sleeping 150 ms, with the gate held
/// (measured: 151 ms holds of an ingest's commit, every upload in flight waiting behind it).
/// </summary>
public sealed class ReadSnapshot : IAsyncDisposable
{
    private readonly NirsDbContext _db;
    private readonly SqliteTransaction? _sqlite;
    private readonly IDbContextTransaction _ef;

    private ReadSnapshot(NirsDbContext db, SqliteTransaction? sqlite, IDbContextTransaction ef)
    {
        _db = db;
        _sqlite = sqlite;
        _ef = ef;
    }

    /// <summary>Starts the snapshot on <paramref name="db"/>'s connection; dispose it to end it.</summary>
    public static async Task<ReadSnapshot> BeginAsync(NirsDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        SqliteTransaction? transaction = null;
        try
        {
            if (db.Database.GetDbConnection() is not SqliteConnection connection)
                return new ReadSnapshot(db, null,
                    await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false));
            transaction = connection.BeginTransaction(deferred: true);
            var used = await db.Database.UseTransactionAsync(transaction, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("EF Core did not take the read transaction");
            return new ReadSnapshot(db, transaction, used);
        }
        catch
        {
            if (transaction is not null) await transaction.DisposeAsync().ConfigureAwait(false);
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Ends the snapshot (nothing was written, so ending it is rolling it back) and closes the open of
    /// <see cref="BeginAsync"/>. EF keeps a connection it used for a transaction open until the context's scope ends (as
    /// with its own <c>BeginTransaction</c>): the request or job that owns the context releases it then.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        // SQLite: EF does not own a transaction handed to it: its wrapper is disposed (EF forgets the transaction and
        // closes what it opened for it) and the transaction is ended here. Both: the open of BeginAsync is closed.
        try
        {
            await _ef.DisposeAsync().ConfigureAwait(false);
            if (_sqlite is not null) await _sqlite.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}
