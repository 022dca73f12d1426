using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace NirsSync.Data;

/// <summary>
/// A hand-written statement on the context's connection and transaction whose parameters are typed and converted as
/// the model's properties are (the values SaveChanges and LINQ queries would send), for the few statements the ingest
/// runs per ride: EF's LINQ pipeline (ExecuteUpdate, SqlQuery) walks and looks up its expression tree at every call.
/// </summary>
public sealed class RowCommand : IAsyncDisposable
{
    private readonly DbContext _db;
    private readonly DbCommand _command;

    private RowCommand(DbContext db, DbCommand command)
    {
        _db = db;
        _command = command;
    }

    /// <summary>A command for <paramref name="sql"/> (parameters written as <c>@name</c>), the connection opened for it.</summary>
    public static async Task<RowCommand> CreateAsync(DbContext db, string sql, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        return new RowCommand(db, command);
    }

    /// <summary>Adds <c>@<paramref name="name"/></c> with <paramref name="value"/> as <typeparamref name="TEntity"/>.<paramref name="property"/> stores it.</summary>
    public RowCommand With<TEntity>(string name, string property, object? value) where TEntity : class =>
        With(name, _db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property} is not a mapped property"), value);

    /// <summary>Adds <c>@<paramref name="name"/></c> with <paramref name="value"/> typed and converted by <paramref name="property"/>'s mapping.</summary>
    public RowCommand With(string name, IProperty property, object? value)
    {
        ArgumentNullException.ThrowIfNull(property);
        _command.Parameters.Add(property.GetRelationalTypeMapping().CreateParameter(_command, "@" + name, value, property.IsNullable));
        return this;
    }

    public Task<int> ExecuteAsync(CancellationToken cancellationToken = default) => _command.ExecuteNonQueryAsync(cancellationToken);

    /// <summary>The first column of the first row (a RETURNING clause), or null when there is no row.</summary>
    public async Task<T?> FirstOrNullAsync<T>(CancellationToken cancellationToken = default) where T : struct
    {
        await using var reader = await _command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        // (T?)null, not default: default here is default(T), a value (Guid.Empty), so "no row" would read as a row.
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetFieldValue<T>(0) : (T?)null;
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync().ConfigureAwait(false);
        await _db.Database.CloseConnectionAsync().ConfigureAwait(false);
    }
}
