using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;

namespace NirsSync.Server.GarminConnect;

/// <summary>
/// Hangfire's queue is in memory, so at start every announced file that is still pending is queued
/// again. Registered after the server's own recovery, which has migrated the database by then.
/// </summary>
internal sealed class GarminRecovery(IServiceProvider services, IBackgroundJobClient jobs, ILogger<GarminRecovery> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var encrypted = await scope.ServiceProvider.GetRequiredService<GarminLinks>().ProtectPlainTokensAsync(cancellationToken);
        if (encrypted > 0) log.LogInformation("Encrypted {Count} Garmin access tokens stored in plain text", encrypted);
        var pending = await db.Set<GarminActivityFile>().AsNoTracking()
            .Where(f => f.Status == GarminFileStatus.Pending).OrderBy(f => f.ReceivedAt).Select(f => f.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in pending) jobs.Enqueue<GarminFetchJob>(job => job.RunAsync(id));
        if (pending.Count > 0) log.LogInformation("Re-queued {Count} pending Garmin activity files", pending.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
