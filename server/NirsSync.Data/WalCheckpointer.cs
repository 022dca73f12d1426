using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NirsSync.Data;

/// <summary>
/// SQLite: copies the write-ahead log into the database file on a thread of its own, outside the <see cref="WriteGate"/>.
/// Left to SQLite, the commit that crosses its threshold (1000 pages, 4 MiB: about 27 rides with their uploads) does
/// the checkpoint itself, copying the pages and syncing the database file while it holds the gate and every other
/// writer (an upload waiting for its 202 among them) waits. Here every connection of the server has
/// <c>wal_autocheckpoint=0</c> (<see cref="SqlitePragmas"/>) and this loop runs a PASSIVE checkpoint every
/// <see cref="NirsOptions.WalCheckpointSeconds"/>; PASSIVE never waits for a writer or a reader.
/// <para>
/// A log being appended to while it is copied never ends fully copied, and SQLite starts the log again from its
/// beginning only when a writer finds it fully copied: the next write after the first pass that no write overlapped
/// (in a server's normal life, any pause between uploads). So that a burst without any pause cannot grow the file without bound, once the log holds
/// <see cref="RestartPages"/> pages (256 MiB, some 1,700 rides and their uploads) each pass finishes the copy inside the
/// gate (only what arrived since the pass before; behind waiting uploads, ahead of them at twice the limit) and the next
/// write starts the log again; a log started again is cut back to <see cref="SqlitePragmas.JournalSizeLimit"/>. A
/// reader holding a snapshot older than the log's end (a long export) keeps the copy from finishing; until it ends,
/// each pass takes its turn at the gate for the little that arrived since.
/// </para>
/// Durability is unchanged: a commit is durable once its frames are in the synced log, and a checkpoint syncs the log
/// before it copies and the database file after (this connection is set to synchronous=FULL).
/// </summary>
public sealed class WalCheckpointer(IOptions<NirsOptions> options, WriteGate gate, ILogger<WalCheckpointer> log)
{
    /// <summary>Log pages (4 KiB each) beyond which a pass finishes inside the gate so that the log starts again.</summary>
    internal int RestartPages { get; init; } = 65536;

    /// <summary>
    /// What one checkpoint reported: pages in the log, pages copied of them (SQLite's answer), and whether it ran
    /// inside the gate.
    /// </summary>
    public sealed record Pass(long LogPages, long CopiedPages, bool InGate);

    private long _passes;

    /// <summary>Passes since start.</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>What the last pass reported (null before the first).</summary>
    public Pass? LastPass => Volatile.Read(ref _last);

    private Pass? _last;

    /// <summary>
    /// Runs until <paramref name="stop"/>: one pass every <see cref="NirsOptions.WalCheckpointSeconds"/>, each told to
    /// <paramref name="observe"/> (the server's metrics).
    /// </summary>
    public async Task RunAsync(CancellationToken stop, Action<Pass>? observe = null)
    {
        var every = TimeSpan.FromSeconds(Math.Clamp(options.Value.WalCheckpointSeconds, 0.01, 60));
        SqliteConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(every, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested) break;
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(options.Value.ConnectionString);
                        await connection.OpenAsync(stop).ConfigureAwait(false);
                        // A pooled handle may carry an ingest's relaxed setting: checkpoints here always sync.
                        await using var full = connection.CreateCommand();
                        full.CommandText = "PRAGMA synchronous=FULL";
                        await full.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                    }
                    var pass = await PassAsync(connection, stop).ConfigureAwait(false);
                    observe?.Invoke(pass);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    // The database away or locked in a way PASSIVE does not wait for: the next pass tries again, on a
                    // new connection. Meanwhile the log grows; nothing is lost.
                    log.LogWarning(e, "SQLite checkpoint failed; trying again in {Seconds} s", every.TotalSeconds);
                    if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One pass: copy what the log holds; when it has grown past <see cref="RestartPages"/>, finish inside the gate.</summary>
    internal async Task<Pass> PassAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var pass = Checkpoint(connection, inGate: false);
        if (pass.LogPages >= RestartPages && pass.CopiedPages < pass.LogPages)
        {
            // Behind waiting uploads as a job writer; at twice the limit (a burst of uploads that never lets a job
            // writer in) ahead of them, as an upload.
            var urgent = pass.LogPages >= 2L * RestartPages;
            pass = await gate.RunAsync(() => Task.FromResult(Checkpoint(connection, inGate: true)), upload: urgent, cancellationToken).ConfigureAwait(false);
        }
        Interlocked.Increment(ref _passes);
        Volatile.Write(ref _last, pass);
        return pass;
    }

    private static Pass Checkpoint(SqliteConnection connection, bool inGate)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        reader.Read();
        // Columns: busy (0/1), pages in the log, pages copied; -1 and -1 when the database is not in WAL mode.
        return new Pass(reader.GetInt64(1), reader.GetInt64(2), inGate);
    }
}

/// <summary>Registers the <see cref="WalCheckpointer"/> (the server; the CLI leaves checkpoints to SQLite).</summary>
public static class WalCheckpoints
{
    /// <summary>
    /// SQLite with <see cref="NirsOptions.WalCheckpointSeconds"/> above 0: the checkpointer, and connections that leave
    /// checkpoints to it. The caller runs <see cref="WalCheckpointer.RunAsync"/> for the life of the process.
    /// </summary>
    public static IServiceCollection AddWalCheckpointer(this IServiceCollection services)
    {
        services.AddSingleton<WalCheckpointer>();
        services.PostConfigure<NirsOptions>(o => o.CheckpointsInBackground = !o.IsPostgres && o.WalCheckpointSeconds > 0);
        return services;
    }
}
