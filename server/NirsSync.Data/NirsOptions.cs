namespace NirsSync.Data;

/// <summary>Configuration section "NirsSync".</summary>
public sealed class NirsOptions
{
    public const string Section = "NirsSync";

    /// <summary>"sqlite" (default: the embedded database in <see cref="DataDirectory"/>) or "postgres" (<see cref="Postgres"/>).</summary>
    public string Database { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>The Npgsql connection string used when <see cref="Database"/> is "postgres".</summary>
    public string? Postgres { get; set; }

    /// <summary>"all" (default: API, dashboard and jobs), "web" (API and dashboard, no jobs) or "worker" (jobs and /health only).</summary>
    public string Role { get; set; } = NodeRoles.All;

    /// <summary>
    /// PostgreSQL mode: seconds before a job fetched by a node that died becomes visible to the other workers again
    /// (Hangfire.PostgreSql's invisibility timeout; a live worker keeps its jobs invisible by a heartbeat).
    /// </summary>
    public double JobInvisibilitySeconds { get; set; } = 300;

    /// <summary>
    /// Seconds a worker's claim on an upload lasts before another worker may take it (the node is taken as dead);
    /// a live worker renews its claims every third of this.
    /// </summary>
    public double IngestLeaseSeconds { get; set; } = 30;

    /// <summary>
    /// Seconds an idle ingest worker waits before looking for work again when nothing woke it (an upload on this
    /// node wakes it at once; in postgres mode so does a NOTIFY from any web node).
    /// </summary>
    public double IngestPollSeconds { get; set; } = 1;

    /// <summary>
    /// Seconds an upload token found in the database is trusted without asking it again (0: ask every request). A
    /// token revoked on another node or by the CLI is refused here at the latest this much later.
    /// </summary>
    public double TokenCacheSeconds { get; set; } = 10;

    public bool IsPostgres => DatabaseProviders.IsPostgres(Database);

    /// <summary>Folder of the SQLite database. Relative paths are resolved against the current directory.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>Largest accepted upload in bytes (413 past it).</summary>
    public long MaxUploadBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The schema new ride documents are written in: 3 (default, the compact chart) or 2, which nodes of the version
    /// before schema 3 also read. Set 2 on the new nodes while a rolling upgrade from such a version is under way
    /// (old and new nodes on one PostgreSQL database), and remove it once every node runs the new version
    /// (docs/deploy.md). Documents of either schema are read by this version whatever the setting.
    /// </summary>
    public int RideDocumentSchema { get; set; } = 3;

    /// <summary>
    /// SQLite synchronous=FULL: every commit of a request (an upload before its 202, settings, tokens) is on disk before
    /// the answer, even across power loss. An ingest's own commits, derived from the synced upload, are not waited for
    /// (<c>IngestDurability</c>).
    /// </summary>
    public bool SynchronousFull { get; set; } = true;

    /// <summary>
    /// SQLite: every this many seconds the server copies the write-ahead log into the database file on a thread of its
    /// own, outside the write gate (<see cref="WalCheckpointer"/>). 0: SQLite's automatic checkpoints, run inside
    /// whichever commit crosses 1000 log pages while every other writer waits.
    /// </summary>
    public double WalCheckpointSeconds { get; set; } = 0.25;

    /// <summary>
    /// True in a process that runs the <see cref="WalCheckpointer"/> (set by <see cref="WalCheckpoints.AddWalCheckpointer"/>,
    /// not by configuration): its SQLite connections leave checkpoints to it (<c>wal_autocheckpoint=0</c>).
    /// </summary>
    public bool CheckpointsInBackground { get; internal set; }

    /// <summary>
    /// Hangfire worker count. Ingest is CPU-bound, so one worker per core keeps throughput while leaving
    /// request handling (and its acknowledgement latency) room to breathe.
    /// </summary>
    public int Workers { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Seconds a weekly-trend update waits so that uploads arriving together share one run.</summary>
    public double TrendBatchDelaySeconds { get; set; } = 2;

    /// <summary>
    /// Seconds a re-analysis waits after a sensor-map or pairs change; each further change moves it later, so a
    /// burst of changes runs one re-analysis.
    /// </summary>
    public double ReanalyzeDelaySeconds { get; set; } = 2;

    /// <summary>
    /// Processing attempts of one upload (transient failures retried, or runs the process did not survive) before
    /// it is marked failed with the reason.
    /// </summary>
    public int MaxIngestAttempts { get; set; } = 5;

    /// <summary>Delay before retrying an upload after a transient failure; doubled for each further attempt.</summary>
    public double IngestRetryBaseSeconds { get; set; } = 2;

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "nirssync.db");

    public string ConnectionString => $"Data Source={DatabasePath};Cache=Private;Default Timeout=30;Pooling=True";

    /// <summary>$NirsSync__DataDirectory, else the user's local application data folder.</summary>
    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("NirsSync__DataDirectory") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData,
                Environment.SpecialFolderOption.Create), "nirssync");
}

/// <summary>The values of <c>NirsSync:Database</c>.</summary>
public static class DatabaseProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static bool IsPostgres(string? value) =>
        string.Equals(value, Postgres, StringComparison.OrdinalIgnoreCase)
        || string.Equals(value, "postgresql", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the value names a known provider, else what is wrong with it.</summary>
    public static string? Check(NirsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RideDocumentSchema is not (Documents.RideDocuments.OldestWritableSchema or Documents.RideDocuments.RideSchema))
            return $"NirsSync:RideDocumentSchema is {options.RideDocumentSchema}; expected {Documents.RideDocuments.OldestWritableSchema} " +
                $"(while nodes of the version before it still run) or {Documents.RideDocuments.RideSchema}";
        if (options.IsPostgres)
            return string.IsNullOrWhiteSpace(options.Postgres)
                ? "NirsSync:Database is postgres but NirsSync:Postgres (the Npgsql connection string) is empty"
                : null;
        return string.Equals(options.Database, Sqlite, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"NirsSync:Database is '{options.Database}'; expected 'sqlite' or 'postgres'";
    }
}

/// <summary>The values of <c>NirsSync:Role</c>.</summary>
public static class NodeRoles
{
    public const string All = "all";
    public const string Web = "web";
    public const string Worker = "worker";

    public static bool IsKnown(string? role) => role is not null &&
        (role.Equals(All, StringComparison.OrdinalIgnoreCase) || role.Equals(Web, StringComparison.OrdinalIgnoreCase)
            || role.Equals(Worker, StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs jobs (a Hangfire server): "all" and "worker".</summary>
    public static bool RunsJobs(string role) => !role.Equals(Web, StringComparison.OrdinalIgnoreCase);

    /// <summary>Serves the API and dashboard: "all" and "web".</summary>
    public static bool ServesApi(string role) => !role.Equals(Worker, StringComparison.OrdinalIgnoreCase);
}
