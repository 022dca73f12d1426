using Microsoft.Data.Sqlite;

namespace NirsSync.Server.Ingest;

/// <summary>
/// Failures that say nothing about the upload itself and may pass: the database busy, locked, away or in a
/// deadlock, out of memory, I/O errors, timeouts (lock timeouts included). An upload that meets one is retried later, never failed for good on the first.
/// </summary>
public static class Transient
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
    private static readonly int[] SqliteCodes = [5, 6, 7, 10, 13, 14];

    public static bool Is(Exception? e) => e switch
    {
        null => false,
        OutOfMemoryException or InsufficientExecutionStackException => true,
        IOException or TimeoutException => true,
        SqliteException s => SqliteCodes.Contains(s.SqliteErrorCode),
        // PostgreSQL: connection loss, deadlock, serialization failure, too many connections, shutdown (Npgsql's own
        // classification of the SQL states).
        Npgsql.NpgsqlException n when n.IsTransient => true,
        AggregateException a => a.InnerExceptions.Any(Is),
        _ => Is(e.InnerException),
    };
}
