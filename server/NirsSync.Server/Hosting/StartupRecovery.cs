using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Server.Hosting;
using NirsSync.Server.Ingest;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Hosting;

/// <summary>
/// Runs before the server takes requests: applies migrations, then rebuilds the in-memory job queue
/// from the database (every pending upload, every athlete whose trends are behind) and registers the
/// weekly rollup. Nothing is lost by a crash because the database, not Hangfire, holds the work.
/// </summary>
internal sealed class StartupRecovery(IServiceProvider services, IBackgroundJobClient jobs,
    IRecurringJobManager recurring, TrendScheduler trends, ILogger<StartupRecovery> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await DataServices.MigrateAsync(services, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var pending = await db.Uploads.AsNoTracking().Where(u => u.Status == UploadStatus.Pending)
            .OrderBy(u => u.ReceivedAt).Select(u => u.Id).ToListAsync(cancellationToken);
        foreach (var id in pending) jobs.Enqueue<IngestJob>(job => job.RunAsync(id));
        var stale = await db.Athletes.AsNoTracking().Where(a => a.TrendsVersion < a.RideVersion)
            .Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var id in stale) trends.Request(id);
        // Re-analyses owed after a sensor-map or pairs change that the last run did not finish.
        var owed = await db.Athletes.AsNoTracking().Where(a => a.ReanalyzePending != null)
            .Select(a => new { a.Id, a.ReanalyzeDueAt }).ToListAsync(cancellationToken);
        var reanalysis = scope.ServiceProvider.GetRequiredService<ReanalysisRequests>();
        foreach (var a in owed) reanalysis.Schedule(a.Id, a.ReanalyzeDueAt ?? DateTimeOffset.MinValue);
        recurring.AddOrUpdate<WeeklyRollupJob>(WeeklyRollupJob.Id, job => job.RunAsync(),
            Cron.Weekly(DayOfWeek.Monday, 0, 5));
        log.LogInformation("Recovered {Pending} pending uploads, {Stale} stale trend sets and {Owed} owed re-analyses",
            pending.Count, stale.Count, owed.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
