using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Server.Data;
using NirsSync.Server.Processing;

namespace NirsSync.Server.Jobs;

/// <summary>
/// Re-analyzes an athlete's rides that used sensors whose map entry changed, from the stored upload
/// bytes and the current map. Idempotent: the result depends only on the bytes and the current map.
/// </summary>
public sealed class ReanalyzeJob(NirsDbContext db, WriteGate gate, RideProcessor processor, TrendScheduler trends,
    TimeProvider clock, ILogger<ReanalyzeJob> log)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(Guid athleteId, int[] devices)
    {
        var map = await db.Athletes.AsNoTracking().Where(a => a.Id == athleteId).Select(a => a.SensorMapJson)
            .FirstOrDefaultAsync();
        if (map is null) return;
        var rides = await db.Rides.AsNoTracking().Where(r => r.AthleteId == athleteId)
            .Select(r => new { r.Id, r.UploadId, r.ChannelsJson }).ToListAsync();
        var affected = rides.Where(r => RideDevices.Uses(r.ChannelsJson, devices)).ToList();
        foreach (var ride in affected)
        {
            var bytes = await db.UploadBlobs.AsNoTracking().Where(b => b.UploadId == ride.UploadId)
                .Select(b => b.Bytes).SingleAsync();
            RideContent content;
            try
            {
                content = processor.Process(bytes, map, ride.Id);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The stored ride stays as it was; the bytes and the map decide, so a retry would fail again.
                log.LogWarning(e, "Ride {RideId} could not be re-analyzed: {Reason}", ride.Id, e.Message);
                continue;
            }
            await gate.RunAsync(async () =>
            {
                db.ChangeTracker.Clear();
                var row = await db.Rides.SingleAsync(r => r.Id == ride.Id);
                RideWriter.Apply(row, content, clock.GetUtcNow());
                await db.SaveChangesAsync();
            }, upload: false);
        }
        if (affected.Count == 0) return;
        await gate.RunAsync(() => db.Athletes.Where(a => a.Id == athleteId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.RideVersion, a => a.RideVersion + 1)), upload: false);
        trends.Request(athleteId);
        log.LogInformation("Re-analyzed {Count} rides of athlete {AthleteId} after a sensor map change", affected.Count, athleteId);
    }
}
