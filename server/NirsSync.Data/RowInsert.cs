using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace NirsSync.Data;

/// <summary>
/// One INSERT of a new row, built from the EF model (table, column names, type mappings with their value converters:
/// the same parameters SaveChanges would send) and run on the context's connection and transaction, without the change
/// tracker. For the ingest path's rows, written once per ride: SaveChanges' tracking, graph walk, command batching and
/// ordering cost more than the insert itself (docs/performance.md). The entity is not tracked afterwards.
/// Entity types whose columns the database generates are refused (their values would not come back).
/// </summary>
public static class RowInsert
{
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, Plan>> Plans = [];

    /// <summary>Inserts <paramref name="entity"/>; a constraint violation surfaces as <see cref="DbException"/> (see <see cref="IsUniqueViolation"/>).</summary>
    public static async Task InsertAsync<T>(DbContext db, T entity, CancellationToken cancellationToken = default) where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entity);
        var plan = Plans.GetValue(db.Model, _ => new()).GetOrAdd(typeof(T), static (type, context) => Plan.Build(context, type), db);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = plan.Sql;
            foreach (var column in plan.Columns)
            {
                var value = column.Property.GetGetter().GetClrValue(entity);
                if (column.Property.IsPrimaryKey() && (value is null || value.Equals(column.Property.Sentinel)))
                    throw new InvalidOperationException($"{typeof(T).Name}.{column.Property.Name} is not set: RowInsert needs the key from the caller");
                command.Parameters.Add(column.Mapping.CreateParameter(command, column.Name, value, column.Property.IsNullable));
            }
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Whether <paramref name="e"/> is any constraint violation (unique, foreign key, not null, check), on SQLite or PostgreSQL.</summary>
    public static bool IsConstraintViolation(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        DbException d => d.SqlState?.StartsWith("23", StringComparison.Ordinal) == true, // class 23: integrity constraint violation
        DbUpdateException { InnerException: { } inner } => IsConstraintViolation(inner),
        _ => false,
    };

    /// <summary>Whether <paramref name="e"/> is a unique (or primary key) constraint violation, on SQLite or PostgreSQL.</summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555): https://sqlite.org/rescode.html
        SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        // PostgreSQL unique_violation: https://www.postgresql.org/docs/current/errcodes-appendix.html
        DbException d => d.SqlState == "23505",
        DbUpdateException { InnerException: { } inner } => IsUniqueViolation(inner),
        _ => false,
    };

    private sealed record Column(IProperty Property, RelationalTypeMapping Mapping, string Name);

    private sealed record Plan(string Sql, Column[] Columns)
    {
        public static Plan Build(DbContext db, Type clrType)
        {
            var type = db.Model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not an entity of {db.GetType().Name}");
            var table = StoreObjectIdentifier.Table(type.GetTableName()
                ?? throw new InvalidOperationException($"{clrType.Name} is not mapped to a table"), type.GetSchema());
            if (type.GetComplexProperties().Any() || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
                throw new NotSupportedException($"{clrType.Name} has complex or owned parts; RowInsert writes plain columns only");
            var sql = db.GetService<ISqlGenerationHelper>();
            var columns = new List<Column>();
            foreach (var property in type.GetProperties())
            {
                if (property.IsShadowProperty())
                    throw new NotSupportedException($"{clrType.Name}.{property.Name} is a shadow property; RowInsert writes CLR properties only");
                // Keys set by the client (Guid v7) are generated "on add" by EF's convention only when left empty.
                if (property.ValueGenerated != ValueGenerated.Never && !property.IsPrimaryKey()
                    || property.GetComputedColumnSql(table) is not null || property.GetDefaultValueSql(table) is not null)
                    throw new NotSupportedException($"{clrType.Name}.{property.Name} is generated by the database; RowInsert cannot return it");
                var mapping = property.GetRelationalTypeMapping();
                columns.Add(new Column(property, mapping, sql.GenerateParameterName($"p{columns.Count}")));
            }
            var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)));
            var values = string.Join(", ", columns.Select((_, i) => sql.GenerateParameterNamePlaceholder($"p{i}")));
            return new Plan($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({values})", [.. columns]);
        }
    }
}

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
    public RowCommand With<TEntity>(string name, string property, object? value) where TEntity : class
    {
        var p = _db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property} is not a mapped property");
        _command.Parameters.Add(p.GetRelationalTypeMapping().CreateParameter(_command, "@" + name, value, p.IsNullable));
        return this;
    }

    /// <summary>Adds <c>@<paramref name="name"/></c> with a plain value (a number or text the provider maps itself).</summary>
    public RowCommand With(string name, object? value)
    {
        var parameter = _command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        _command.Parameters.Add(parameter);
        return this;
    }

    public Task<int> ExecuteAsync(CancellationToken cancellationToken = default) => _command.ExecuteNonQueryAsync(cancellationToken);

    /// <summary>The first column of the first row (a RETURNING clause), or null when there is no row.</summary>
    public async Task<T?> FirstOrNullAsync<T>(CancellationToken cancellationToken = default) where T : struct
    {
        await using var reader = await _command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetFieldValue<T>(0) : default;
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync().ConfigureAwait(false);
        await _db.Database.CloseConnectionAsync().ConfigureAwait(false);
    }
}
