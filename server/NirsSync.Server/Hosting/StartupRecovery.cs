using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Ingest;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Hosting;

/// <summary>
/// Runs on nodes that run jobs, after <see cref="DatabaseStartup"/> and before the node takes requests.
/// SQLite (one process, Hangfire in memory): rebuilds the job queue from the database (every athlete whose trends
/// are behind, every owed re-analysis, every sensor export standing alone beside a FIT ride it overlaps; pending
/// uploads need nothing, they are the <see cref="IngestQueue"/>). PostgreSQL (durable shared queue, any number of nodes): the queue
/// survived, so it only runs the <see cref="RecoverySweepJob"/> once and registers it as a recurring job, which
/// Hangfire runs on one node at a time. Both register the weekly rollup; nothing is lost by a crash because the
/// database holds the work. First, every ride is put in its athlete's ISO week (in the athlete's time zone).
/// </summary>
internal sealed class StartupRecovery(IServiceProvider services, IBackgroundJobClient jobs,
    IRecurringJobManager recurring, TrendScheduler trends, IOptions<NirsOptions> options, ILogger<StartupRecovery> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<WeeklyRollupJob>(WeeklyRollupJob.Id, job => job.RunAsync(), Cron.Weekly(DayOfWeek.Monday, 0, 5));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        // Rides stored before weeks followed the athlete's time zone (UTC Mondays) get their ISO week there.
        var weeks = await scope.ServiceProvider.GetRequiredService<WriteGate>().RunAsync(
            () => RideWeeks.RecomputeAsync(db, null, cancellationToken), upload: false, cancellationToken);
        if (weeks > 0) log.LogInformation("Moved {Rides} rides to their ISO week in the athlete's time zone", weeks);
        if (options.Value.IsPostgres)
        {
            recurring.AddOrUpdate<RecoverySweepJob>(RecoverySweepJob.Id, job => job.RunAsync(), Cron.Minutely());
            await scope.ServiceProvider.GetRequiredService<RecoverySweepJob>().RunAsync();
            return;
        }
        // Pending uploads are the ingest queue itself (IngestQueue): the workers find them. Claims held by this
        // process's previous life are void (one process in SQLite mode), so they need not wait for their lease.
        var queue = scope.ServiceProvider.GetRequiredService<IngestQueue>();
        await queue.ReleaseAllAsync(db, scope.ServiceProvider.GetRequiredService<WriteGate>(), cancellationToken);
        var pending = await db.Uploads.AsNoTracking().CountAsync(u => u.Status == UploadStatus.Pending, cancellationToken);
        queue.Wake();
        var stale = await db.Athletes.AsNoTracking().Where(a => a.TrendsVersion < a.RideVersion)
            .Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var id in stale) await trends.RequestAsync(id);
        // Re-analyses owed after a sensor-map or pairs change that the last run did not finish.
        var owed = await db.Athletes.AsNoTracking().Where(a => a.ReanalyzePending != null)
            .Select(a => new { a.Id, a.ReanalyzeDueAt }).ToListAsync(cancellationToken);
        var reanalysis = scope.ServiceProvider.GetRequiredService<ReanalysisRequests>();
        foreach (var a in owed) reanalysis.Schedule(a.Id, a.ReanalyzeDueAt ?? DateTimeOffset.MinValue);
        // Sensor exports still standing alone beside a FIT ride they overlap: the join the last run did not finish.
        var joins = await scope.ServiceProvider.GetRequiredService<ExportMerge>().WaitingJoinsAsync(cancellationToken);
        foreach (var rideId in joins) jobs.Enqueue<ExportMerge>(m => m.JoinWaitingJobAsync(rideId));
        log.LogInformation("Recovered {Pending} pending uploads, {Stale} stale trend sets, {Owed} owed re-analyses and {Joins} export joins",
            pending, stale.Count, owed.Count, joins.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
