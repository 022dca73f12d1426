using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// SQLite checkpoints outside the write gate: the server's connections leave them to the checkpointer, a pass copies
/// the whole log when nothing writes meanwhile, and a log grown past its limit is finished inside the gate so that it
/// starts again.
/// </summary>
public sealed class WalCheckpointerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nirs-wal-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private NirsOptions Options => new() { DataDirectory = _folder };

    /// <summary>A database in WAL mode without automatic checkpoints, with <paramref name="kib"/> KiB written to its log.</summary>
    private async Task<SqliteConnection> WriterAsync(int kib)
    {
        Directory.CreateDirectory(_folder);
        var writer = new SqliteConnection(Options.ConnectionString);
        await writer.OpenAsync();
        await using (var setUp = writer.CreateCommand())
        {
            setUp.CommandText = "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE IF NOT EXISTS t (b BLOB)";
            await setUp.ExecuteNonQueryAsync();
        }
        await WriteAsync(writer, kib);
        return writer;
    }

    private static async Task WriteAsync(SqliteConnection writer, int kib)
    {
        await using var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO t VALUES (zeroblob(@n))";
        insert.Parameters.AddWithValue("@n", kib * 1024);
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<long> Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }

    private WalCheckpointer Checkpointer(WriteGate gate, int restartPages) =>
        new(Microsoft.Extensions.Options.Options.Create(Options), gate, NullLogger<WalCheckpointer>.Instance) { RestartPages = restartPages };

    [Fact]
    public async Task APassCopiesTheWholeLogOutsideTheGateWhenNothingWritesMeanwhile()
    {
        await using var writer = await WriterAsync(kib: 2048);
        var gate = new WriteGate(Microsoft.Extensions.Options.Options.Create(Options));
        await using var own = new SqliteConnection(Options.ConnectionString);
        await own.OpenAsync();
        // The gate is held (a long write elsewhere): a pass below the limit does not need it.
        var release = new TaskCompletionSource();
        var holder = gate.RunAsync(() => release.Task, upload: true);

        var pass = await Checkpointer(gate, restartPages: 100_000).PassAsync(own, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30)); // one that waited for the gate would fail here, not hang

        Assert.False(pass.InGate);
        Assert.True(pass.LogPages >= 2048 / 4, $"{pass.LogPages} log pages for 2 MiB written");
        Assert.Equal(pass.LogPages, pass.CopiedPages);
        release.SetResult();
        await holder;
    }

    [Fact]
    public async Task ALogPastItsLimitIsFinishedInsideTheGateAndTheNextWriteStartsItAgain()
    {
        await using var writer = await WriterAsync(kib: 1024);
        var gate = new WriteGate(Microsoft.Extensions.Options.Options.Create(Options));
        await using var own = new SqliteConnection(Options.ConnectionString);
        await own.OpenAsync();
        // A reader holding a snapshot older than the last write keeps the first (outside) pass from copying everything.
        await using var reader = new SqliteConnection(Options.ConnectionString);
        await reader.OpenAsync();
        await using (var snapshot = reader.BeginTransaction(deferred: true))
        {
            await Execute(reader, "SELECT count(*) FROM t");
            await WriteAsync(writer, 512);
            var release = new TaskCompletionSource();
            var holder = gate.RunAsync(() => release.Task, upload: true);
            // The pass outside the gate runs before PassAsync first awaits: past the limit and not all copied, it is
            // now waiting for the gate.
            var pass = Checkpointer(gate, restartPages: 16).PassAsync(own, CancellationToken.None);
            Assert.False(pass.IsCompleted);
            snapshot.Commit();
            release.SetResult();
            await holder;
            var finished = await pass.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(finished.InGate);
            Assert.Equal(finished.LogPages, finished.CopiedPages);
        }
        await WriteAsync(writer, 4);
        var after = await Checkpointer(gate, restartPages: 100_000).PassAsync(own, CancellationToken.None);
        Assert.True(after.LogPages < 16, $"the log did not start again: {after.LogPages} pages");
    }

    [Fact]
    public async Task TheServersConnectionsLeaveCheckpointsToTheCheckpointerAndTheClisKeepSqlites()
    {
        using var server = new ServerFactory();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            Assert.True(scope.ServiceProvider.GetRequiredService<IOptions<NirsOptions>>().Value.CheckpointsInBackground);
            await db.Database.OpenConnectionAsync();
            Assert.Equal(0, await Execute((SqliteConnection)db.Database.GetDbConnection(), "PRAGMA wal_autocheckpoint"));
            Assert.Equal(SqlitePragmasLimit, await Execute((SqliteConnection)db.Database.GetDbConnection(), "PRAGMA journal_size_limit"));
        }

        // `nirssync admin ...` builds its services with AddNirsData alone: no checkpointer runs there.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["NirsSync:DataDirectory"] = _folder }).Build();
        await using var cli = new ServiceCollection().AddLogging().AddNirsData(configuration).BuildServiceProvider();
        await using var cliScope = cli.CreateAsyncScope();
        var cliDb = cliScope.ServiceProvider.GetRequiredService<NirsDbContext>();
        Directory.CreateDirectory(_folder);
        await cliDb.Database.OpenConnectionAsync();
        Assert.False(cliScope.ServiceProvider.GetRequiredService<IOptions<NirsOptions>>().Value.CheckpointsInBackground);
        Assert.Equal(1000, await Execute((SqliteConnection)cliDb.Database.GetDbConnection(), "PRAGMA wal_autocheckpoint"));
    }

    [Fact]
    public async Task TheServerCopiesItsLogInTheBackground()
    {
        using var server = new ServerFactory();
        var checkpointer = server.Services.GetRequiredService<WalCheckpointer>();
        await server.AddCoachAsync("coach@example.com"); // a write: the log holds pages
        var passesAfterTheWrite = checkpointer.Passes;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        // Polled, not timed: a server that never runs its checkpointer fails here after the deadline. Two passes after
        // the write, the last one found the log fully copied (or already started again, which only a full copy allows:
        // this server's connections never checkpoint themselves).
        while (checkpointer.Passes < passesAfterTheWrite + 2 || checkpointer.LastPass is not { } last || last.CopiedPages != last.LogPages)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no pass copied the log: {checkpointer.Passes} passes, last {checkpointer.LastPass}");
            await Task.Delay(50);
        }
        Assert.False(checkpointer.LastPass!.InGate);
        Assert.True(checkpointer.LastPass.LogPages >= 0, "SQLite reports -1 pages when the database is not in WAL mode");
    }

    private static long SqlitePragmasLimit => 64L * 1024 * 1024;
}
