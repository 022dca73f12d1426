using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NirsSync.Data;

/// <summary>Sets per-connection SQLite pragmas: WAL journal, the configured synchronous level, foreign keys.</summary>
internal sealed class SqlitePragmas(bool synchronousFull) : DbConnectionInterceptor
{
    private readonly string _sql =
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(synchronousFull ? "FULL" : "NORMAL")}; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }
}
