using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NirsSync.Data;

/// <summary>
/// Sets per-connection SQLite pragmas: WAL journal, the configured synchronous level, foreign keys, the log's size
/// once it starts again, and (when the <see cref="WalCheckpointer"/> runs) no automatic checkpoints. Once
/// per native connection: Microsoft.Data.Sqlite pools them, and the settings live as long as the native
/// connection, so running them at every logical open (each EF query) only cost three statements each time.
/// </summary>
internal sealed class SqlitePragmas(bool synchronousFull, bool autoCheckpoint = true) : DbConnectionInterceptor
{
    /// <summary>Bytes the log file is cut back to when a writer starts it again (it keeps its largest size otherwise).</summary>
    internal const long JournalSizeLimit = 64L * 1024 * 1024;

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _configured = [];

    private readonly string _sql =
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(synchronousFull ? "FULL" : "NORMAL")}; PRAGMA foreign_keys=ON; "
        + $"PRAGMA journal_size_limit={JournalSizeLimit};" + (autoCheckpoint ? " PRAGMA wal_autocheckpoint=1000;" : " PRAGMA wal_autocheckpoint=0;");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle })
        {
            if (_configured.TryGetValue(handle, out _))
            {
                // An ingest relaxed this connection and it came back to the pool without being synced again.
                if (synchronousFull && IngestDurability.TakeRelaxed(handle)) SetSynchronous(connection, full: true);
                return;
            }
            _configured.AddOrUpdate(handle, handle);
        }
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Sets an open connection's <c>synchronous</c> level (a pragma: no I/O, no transaction).</summary>
    internal static void SetSynchronous(DbConnection connection, bool full)
    {
        using var command = connection.CreateCommand();
        command.CommandText = full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
        command.ExecuteNonQuery();
    }
}
