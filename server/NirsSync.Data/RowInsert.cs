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
        await using var command = await RowCommand.CreateAsync(db, plan.Sql, cancellationToken).ConfigureAwait(false);
        foreach (var column in plan.Columns)
        {
            var value = column.Property.GetGetter().GetClrValue(entity);
            if (column.IsKey && (value is null || value.Equals(column.Property.Sentinel)))
                throw new InvalidOperationException($"{typeof(T).Name}.{column.Property.Name} is not set: RowInsert needs the key from the caller");
            command.With(column.Name, column.Property, value);
        }
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
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

    private sealed record Column(IProperty Property, string Name, bool IsKey);

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
                columns.Add(new Column(property, $"p{columns.Count}", property.IsPrimaryKey()));
            }
            var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)));
            var values = string.Join(", ", columns.Select(c => "@" + c.Name)); // RowCommand's parameters are @name
            return new Plan($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({values})", [.. columns]);
        }
    }
}
