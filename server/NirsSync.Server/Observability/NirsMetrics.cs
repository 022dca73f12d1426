using System.Diagnostics.Metrics;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace NirsSync.Server.Observability;

/// <summary>
/// The server's own metrics (meter "NirsSync"), exported by OpenTelemetry in Prometheus format on /metrics:
/// uploads accepted and refused, ingest and trend job durations, the job queue's depth, job failures and database
/// errors. The same in both modes; in postgres mode the queue depth is the shared queue's.
/// </summary>
public static class NirsMetrics
{
    public const string MeterName = "NirsSync";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> UploadsAccepted =
        Meter.CreateCounter<long>("nirssync.uploads.accepted", "{upload}", "New uploads stored and queued for ingest");

    public static readonly Counter<long> UploadsDuplicate =
        Meter.CreateCounter<long>("nirssync.uploads.duplicate", "{upload}", "Uploads answered with an existing upload (same file)");

    public static readonly Counter<long> UploadCommits =
        Meter.CreateCounter<long>("nirssync.uploads.commits", "{commit}",
            "Commits that stored new uploads; under load several uploads share one (accepted / commits = uploads per commit)");

    public static readonly Counter<long> UploadsRefused =
        Meter.CreateCounter<long>("nirssync.uploads.refused", "{upload}", "Uploads refused, by HTTP status");

    public static readonly Histogram<double> IngestDuration =
        Meter.CreateHistogram<double>("nirssync.ingest.duration", "s", "Ingest job duration, by outcome");

    public static readonly Histogram<double> TrendDuration =
        Meter.CreateHistogram<double>("nirssync.trend.duration", "s", "Weekly-trend job duration");

    public static readonly Counter<long> JobFailures =
        Meter.CreateCounter<long>("nirssync.jobs.failed", "{job}", "Job runs that threw, by job type");

    public static readonly Counter<long> DatabaseErrors =
        Meter.CreateCounter<long>("nirssync.database.errors", "{error}", "Requests that found the database unreachable");

    public static readonly Counter<long> Checkpoints = Meter.CreateCounter<long>("nirssync.sqlite.checkpoints", "{checkpoint}",
        "SQLite checkpoints of the background checkpointer, by where they ran: outside the write gate or inside it (the log had grown past its limit)");

    private static long _walPages = -1;

    private static readonly ObservableGauge<long> WalPages = Meter.CreateObservableGauge("nirssync.sqlite.wal.pages",
        () => Volatile.Read(ref _walPages) is var pages and >= 0 ? [new Measurement<long>(pages)] : Array.Empty<Measurement<long>>(),
        "{page}", "Pages (4 KiB) in SQLite's write-ahead log at the last checkpoint; it starts again from 0 once fully copied");

    /// <summary>One pass of the <see cref="Data.WalCheckpointer"/>.</summary>
    public static void Checkpointed(Data.WalCheckpointer.Pass pass)
    {
        Checkpoints.Add(1, new KeyValuePair<string, object?>("gate", pass.InGate ? "inside" : "outside"));
        Volatile.Write(ref _walPages, pass.LogPages);
    }

    private static Func<JobStorage>? _storage;
    private static long _ingestWaiting = -1, _ingestClaimed = -1;

    private static readonly ObservableGauge<long> IngestQueue = Meter.CreateObservableGauge("nirssync.ingest.queue",
        ObserveIngestQueue, "{upload}", "Pending uploads (the ingest queue), waiting or claimed by a worker; counted by nodes that run jobs");

    /// <summary>The ingest queue's depth, counted by each node that runs jobs every few seconds (the ingest workers).</summary>
    public static void SetIngestQueue(long waiting, long claimed)
    {
        Volatile.Write(ref _ingestWaiting, waiting);
        Volatile.Write(ref _ingestClaimed, claimed);
    }

    private static IEnumerable<Measurement<long>> ObserveIngestQueue()
    {
        if (Volatile.Read(ref _ingestWaiting) is var waiting and >= 0)
            yield return new Measurement<long>(waiting, new KeyValuePair<string, object?>("state", "waiting"));
        if (Volatile.Read(ref _ingestClaimed) is var claimed and >= 0)
            yield return new Measurement<long>(claimed, new KeyValuePair<string, object?>("state", "claimed"));
    }

    /// <summary>Publishes the depth of the job queue of <paramref name="storage"/> (resolved at the first scrape).</summary>
    public static void ObserveQueue(Func<JobStorage> storage)
    {
        if (Interlocked.Exchange(ref _storage, storage) is not null) return;
        Meter.CreateObservableGauge("nirssync.queue.depth", ObserveDepth, "{job}", "Jobs waiting: enqueued or scheduled");
    }

    private static IEnumerable<Measurement<long>> ObserveDepth()
    {
        if (Volatile.Read(ref _storage) is not { } storage) yield break;
        long enqueued, scheduled, processing;
        try
        {
            var monitor = storage().GetMonitoringApi();
            enqueued = monitor.EnqueuedCount("default");
            scheduled = monitor.ScheduledCount();
            processing = monitor.ProcessingCount();
        }
        catch (Exception e) when (e is ObjectDisposedException || Data.DataServices.IsUnreachable(e))
        {
            if (e is not ObjectDisposedException) DatabaseErrors.Add(1);
            yield break;
        }
        yield return new Measurement<long>(enqueued, new KeyValuePair<string, object?>("state", "enqueued"));
        yield return new Measurement<long>(scheduled, new KeyValuePair<string, object?>("state", "scheduled"));
        yield return new Measurement<long>(processing, new KeyValuePair<string, object?>("state", "processing"));
    }
}

/// <summary>Counts job runs that end in Hangfire's failed state or in a retry (a thrown exception).</summary>
public sealed class JobFailureMetrics : JobFilterAttribute, IElectStateFilter
{
    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is FailedState || (context.CandidateState is ScheduledState && context.CurrentState == ProcessingState.StateName
                && context.CandidateState.Reason?.StartsWith("Retry", StringComparison.Ordinal) == true))
            JobFailures.Add(1, new KeyValuePair<string, object?>("job", context.BackgroundJob.Job?.Type.Name ?? "unknown"));
    }

    private static Counter<long> JobFailures => NirsMetrics.JobFailures;
}
