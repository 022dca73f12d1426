using Hangfire;
using Microsoft.EntityFrameworkCore;
using NirsSync.Analysis;
using NirsSync.Data;

namespace NirsSync.Server.Trends;

/// <summary>
/// Recomputes an athlete's weekly trends from all of their rides. Idempotent: it records the ride
/// version it saw, skips when the trends are current, and never overwrites newer trends.
/// </summary>
public sealed class TrendJob(NirsDbContext db, WriteGate gate, TrendScheduler scheduler, TrendBuilder builder,
    TimeProvider clock, ILogger<TrendJob> log)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(Guid athleteId)
    {
        await scheduler.StartedAsync(athleteId);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await UpdateAsync(athleteId, force: false);
        Observability.NirsMetrics.TrendDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Updates one athlete's trends; with <paramref name="force"/> even when no ride changed (a new week began).</summary>
    public async Task UpdateAsync(Guid athleteId, bool force)
    {
        long version;
        string timeZone;
        TrendOptions options;
        List<Ride> rides;
        // One snapshot for the version and the rides (a ride stored between the two would otherwise be counted as
        // seen); a read-only one, which never holds up the writers (ReadSnapshot).
        await using (await ReadSnapshot.BeginAsync(db))
        {
            var athlete = await db.Athletes.AsNoTracking().FirstOrDefaultAsync(a => a.Id == athleteId);
            if (athlete is null || (!force && athlete.TrendsVersion >= athlete.RideVersion)) return;
            version = athlete.RideVersion;
            timeZone = athlete.TimeZone;
            options = TrendBuilder.OptionsFor(athlete.SensorMapJson, athlete.HealthyPeriodsJson);
            // Only what the trends need: never the stored series.
            rides = await db.Rides.AsNoTracking().Where(r => r.AthleteId == athleteId)
                .Select(r => new Ride
                {
                    Id = r.Id, AthleteId = r.AthleteId, UploadId = r.UploadId, StartTime = r.StartTime,
                    DurationSeconds = r.DurationSeconds, AveragePower = r.AveragePower, WeekStart = r.WeekStart,
                    SummaryJson = r.SummaryJson,
                }).ToListAsync();
        }
        var json = builder.Build(rides, AthleteTimeZones.Find(timeZone), options);
        var now = clock.GetUtcNow();
        var written = await gate.RunAsync(() => db.Athletes
            .Where(a => a.Id == athleteId && a.TrendsVersion <= version)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.TrendsJson, json)
                .SetProperty(a => a.TrendsVersion, version)
                .SetProperty(a => a.TrendsUpdatedAt, now)), upload: false);
        log.LogInformation("Weekly trends of athlete {AthleteId} in {TimeZone} from {Rides} rides at version {Version}: {Outcome}",
            athleteId, timeZone, rides.Count, version, written == 1 ? "stored" : "superseded");
    }
}

/// <summary>The recurring weekly rollup: every athlete's trends, so the latest week's flags move with the calendar.</summary>
public sealed class WeeklyRollupJob(NirsDbContext db, TrendJob trends)
{
    public const string Id = "weekly-rollup";

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync()
    {
        var athletes = await db.Athletes.AsNoTracking().Select(a => a.Id).ToListAsync();
        foreach (var id in athletes) await trends.UpdateAsync(id, force: true);
    }
}
