namespace NirsSync.Data;

/// <summary>Configuration section "NirsSync".</summary>
public sealed class NirsOptions
{
    public const string Section = "NirsSync";

    /// <summary>Folder of the SQLite database. Relative paths are resolved against the current directory.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>Largest accepted upload in bytes (413 past it).</summary>
    public long MaxUploadBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>SQLite synchronous=FULL: every commit is on disk before the answer, even across power loss.</summary>
    public bool SynchronousFull { get; set; } = true;

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
