using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NirsSync.Data;

/// <summary>
/// SQLite: an ingest commits without waiting for the disk (<c>synchronous=NORMAL</c> on its connection while it runs).
/// Everything an ingest writes (the claim, the ride, the upload's status) is derived from the upload's bytes, which
/// were committed with <c>synchronous=FULL</c> before the upload was acknowledged, and a later synced commit carries
/// the earlier unsynced ones to disk with it (one WAL file). A power loss can take back the ingest commits since the
/// last synced one, never an acknowledged upload: the uploads they closed are pending again and are processed again
/// after the restart. A crash of the process alone loses nothing (the commits are in the operating system's cache).
/// The connection goes back to its pool synced again (<see cref="RestoreAsync"/>); one that cannot be restored is
/// taken out of the pool, so no request ever commits on a relaxed connection.
/// </summary>
public static class IngestDurability
{
    /// <summary>Relaxes the open connection of <paramref name="db"/>; true when it did (SQLite with FULL configured).</summary>
    public static async Task<bool> RelaxAsync(NirsDbContext db, NirsOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsPostgres || !options.SynchronousFull) return false;
        await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Syncs every commit again on the connection of <paramref name="db"/> before it goes back to the pool.</summary>
    public static async Task RestoreAsync(NirsDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL").ConfigureAwait(false);
        }
        catch
        {
            // Never hand a relaxed connection to a request: drop the pool's idle connections and this one.
            if (db.Database.GetDbConnection() is SqliteConnection connection) SqliteConnection.ClearPool(connection);
            throw;
        }
    }
}
