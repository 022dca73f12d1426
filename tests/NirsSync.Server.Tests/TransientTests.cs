using Microsoft.Data.Sqlite;
using Npgsql;
using NirsSync.Server.Ingest;

namespace NirsSync.Server.Tests;

/// <summary>Which failures an upload is retried after (transient) and which fail it at once.</summary>
public sealed class TransientTests
{
    [Theory]
    [InlineData("40P01")] // deadlock detected
    [InlineData("40001")] // serialization failure
    [InlineData("53300")] // too many connections
    [InlineData("57P01")] // admin shutdown
    [InlineData("08006")] // connection failure
    public void PostgreSqlFailuresThatMayPassAreRetried(string sqlState) =>
        Assert.True(Transient.Is(new PostgresException("from the test", "ERROR", "ERROR", sqlState)));

    [Theory]
    [InlineData("23505")] // unique violation
    [InlineData("22P02")] // invalid text representation
    [InlineData("42703")] // undefined column
    public void PostgreSqlFailuresOfTheStatementItselfAreNot(string sqlState) =>
        Assert.False(Transient.Is(new PostgresException("from the test", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void LockTimeoutsSqliteBusyAndWrappedFailuresAreRetried()
    {
        Assert.True(Transient.Is(new Hangfire.Storage.DistributedLockTimeoutException("nirssync:ride-join:x")));
        Assert.True(Transient.Is(new SqliteException("database is locked", 5)));
        Assert.True(Transient.Is(new InvalidOperationException("wrapper", new PostgresException("x", "FATAL", "FATAL", "57P01"))));
        Assert.False(Transient.Is(new InvalidOperationException("decoder fault")));
    }
}
