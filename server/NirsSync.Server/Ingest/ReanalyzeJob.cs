using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Ingest;

/// <summary>
/// Re-analyzes an athlete's rides from the stored upload bytes, the current sensor map and the coach's
/// current pairs: the rides that used sensors whose map entry changed, or every ride when the pairs
/// changed. Idempotent: the result depends only on the bytes, the map and the pairs.
/// </summary>
public sealed class ReanalyzeJob(NirsDbContext db, WriteGate gate, RideProcessor processor, TrendScheduler trends,
    TimeProvider clock, ILogger<ReanalyzeJob> log)
{
    /// <summary>After a sensor map change: the rides whose channels came from <paramref name="devices"/>.</summary>
    [AutomaticRetry(Attempts = 3)]
    public Task RunAsync(Guid athleteId, int[] devices) =>
        ReanalyzeAsync(athleteId, channels => RideDevices.Uses(channels, devices), "a sensor map change");

    /// <summary>After a change of the coach's pairs: every ride of the athlete.</summary>
    [AutomaticRetry(Attempts = 3)]
    public Task RunAllAsync(Guid athleteId) => ReanalyzeAsync(athleteId, _ => true, "a change of the coach's pairs");

    private async Task ReanalyzeAsync(Guid athleteId, Func<IEnumerable<Analysis.ChannelInfo>, bool> affects, string reason)
    {
        var athlete = await db.Athletes.AsNoTracking().Where(a => a.Id == athleteId)
            .Select(a => new { a.SensorMapJson, a.CoachPairsJson, a.TimeZone }).FirstOrDefaultAsync();
        if (athlete is null) return;
        var rides = await db.Rides.AsNoTracking().Where(r => r.AthleteId == athleteId)
            .Select(r => new { r.Id, r.UploadId, r.Document }).ToListAsync();
        var affected = rides.Where(r => affects(RideDocuments.Read(r.Document).Channels)).ToList();
        var zone = AthleteTimeZones.Find(athlete.TimeZone);
        foreach (var ride in affected)
        {
            var bytes = await db.UploadBlobs.AsNoTracking().Where(b => b.UploadId == ride.UploadId)
                .Select(b => b.Bytes).SingleAsync();
            RideContent content;
            try
            {
                content = processor.Process(bytes, athlete.SensorMapJson, athlete.CoachPairsJson, ride.Id);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The stored ride stays as it was; the inputs decide, so a retry would fail again.
                log.LogWarning(e, "Ride {RideId} could not be re-analyzed: {Reason}", ride.Id, e.Message);
                continue;
            }
            await gate.RunAsync(async () =>
            {
                db.ChangeTracker.Clear();
                var row = await db.Rides.SingleAsync(r => r.Id == ride.Id);
                RideWriter.Apply(row, content, zone, clock.GetUtcNow());
                await db.SaveChangesAsync();
            }, upload: false);
        }
        if (affected.Count == 0) return;
        await gate.RunAsync(() => db.Athletes.Where(a => a.Id == athleteId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.RideVersion, a => a.RideVersion + 1)), upload: false);
        trends.Request(athleteId);
        log.LogInformation("Re-analyzed {Count} rides of athlete {AthleteId} after {Reason}", affected.Count, athleteId, reason);
    }
}
