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
    private readonly IDbContextTransaction? _ef;

    private ReadSnapshot(NirsDbContext db, SqliteTransaction? sqlite, IDbContextTransaction? ef)
    {
        _db = db;
        _sqlite = sqlite;
        _ef = ef;
    }

    /// <summary>Starts the snapshot on <paramref name="db"/>'s connection; dispose it to end it.</summary>
    public static async Task<ReadSnapshot> BeginAsync(NirsDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.GetDbConnection() is not SqliteConnection connection)
            return new ReadSnapshot(db, null,
                await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false));
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        SqliteTransaction? transaction = null;
        try
        {
            transaction = connection.BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(transaction, cancellationToken).ConfigureAwait(false);
            return new ReadSnapshot(db, transaction, null);
        }
        catch
        {
            if (transaction is not null) await transaction.DisposeAsync().ConfigureAwait(false);
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Ends the snapshot (nothing was written, so ending it is rolling it back) and releases the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ef is not null)
        {
            await _ef.DisposeAsync().ConfigureAwait(false);
            return;
        }
        // EF does not own a transaction handed to it: it is told to forget it, and it is ended here.
        await _db.Database.UseTransactionAsync(null).ConfigureAwait(false);
        await _sqlite!.DisposeAsync().ConfigureAwait(false);
        await _db.Database.CloseConnectionAsync().ConfigureAwait(false);
    }
}
