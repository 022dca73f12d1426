using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NirsSync.Data;

/// <summary>
/// SQLite: an ingest commits without waiting for the disk (<c>synchronous=NORMAL</c> on its connection while it runs).
/// Everything an ingest writes (the claim, the ride, the upload's status) is derived from the upload's bytes, which
/// were committed with <c>synchronous=FULL</c> before the upload was acknowledged, and a later synced commit carries
/// the earlier unsynced ones to disk with it (one WAL file). A power loss can take back the ingest commits since the
/// last synced one, never an acknowledged upload: the uploads they closed are pending again and are processed again
/// after the restart (as new rides: a ride's id is made at its ingest). Attempts counted by lost claims are lost too,
/// so a file that took the whole machine down each time would not reach <c>MaxIngestAttempts</c>; a crash of the
/// process alone loses nothing (the commits are in the operating system's cache).
/// The connection is synced again before it goes back to the pool (<see cref="Restore"/>); should that not
/// happen (an exception, a close in between), the native connection stays marked and <see cref="SqlitePragmas"/>
/// syncs it again when it is next opened, before anyone can use it.
/// </summary>
public static class IngestDurability
{
    /// <summary>Native SQLite connections relaxed by an ingest and not yet synced again.</summary>
    private static readonly ConditionalWeakTable<object, object> Relaxed = [];

    /// <summary>Relaxes the open connection of <paramref name="db"/>; true when it did (SQLite with FULL configured).</summary>
    public static bool Relax(NirsDbContext db, NirsOptions options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsPostgres || !options.SynchronousFull) return false;
        if (db.Database.GetDbConnection() is not SqliteConnection { Handle: { } handle } connection) return false;
        Relaxed.AddOrUpdate(handle, handle); // marked first: whatever happens next, the next open syncs it again
        SqlitePragmas.SetSynchronous(connection, full: false);
        return true;
    }

    /// <summary>Syncs every commit again on the connection of <paramref name="db"/> before it goes back to the pool.</summary>
    public static void Restore(NirsDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.GetDbConnection() is not SqliteConnection connection) return;
        try
        {
            SqlitePragmas.SetSynchronous(connection, full: true);
            if (connection.Handle is { } handle) Relaxed.Remove(handle);
        }
        catch
        {
            // Never hand a relaxed connection to a request: drop the pool's connections, this one when it closes.
            SqliteConnection.ClearPool(connection);
            throw;
        }
    }

    /// <summary>True (once) when <paramref name="handle"/> was relaxed and never synced again: the opener must sync it.</summary>
    internal static bool TakeRelaxed(object handle) => Relaxed.TryGetValue(handle, out _) && Relaxed.Remove(handle);
}
