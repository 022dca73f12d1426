using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Hosting;
using NirsSync.Server.Ingest;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Hosting;

/// <summary>
/// Runs before the server takes requests: applies migrations, puts every ride in its athlete's ISO week, then rebuilds the in-memory job queue
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
        // Rides stored before weeks followed the athlete's time zone (UTC Mondays) get their ISO week there.
        var weeks = await scope.ServiceProvider.GetRequiredService<WriteGate>().RunAsync(
            () => RideWeeks.RecomputeAsync(db, null, cancellationToken), upload: false, cancellationToken);
        if (weeks > 0) log.LogInformation("Moved {Rides} rides to their ISO week in the athlete's time zone", weeks);
        var pending = await db.Uploads.AsNoTracking().Where(u => u.Status == UploadStatus.Pending)
            .OrderBy(u => u.ReceivedAt).Select(u => u.Id).ToListAsync(cancellationToken);
        foreach (var id in pending) jobs.Enqueue<IngestJob>(job => job.RunAsync(id));
        var stale = await db.Athletes.AsNoTracking().Where(a => a.TrendsVersion < a.RideVersion)
            .Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var id in stale) trends.Request(id);
        recurring.AddOrUpdate<WeeklyRollupJob>(WeeklyRollupJob.Id, job => job.RunAsync(),
            Cron.Weekly(DayOfWeek.Monday, 0, 5));
        log.LogInformation("Recovered {Pending} pending uploads and {Stale} stale trend sets", pending.Count, stale.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
