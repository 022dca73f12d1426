using System.Collections.Concurrent;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Trends;

/// <summary>
/// Batches weekly-trend updates: the first ride of a burst schedules one trend job a moment later;
/// rides that arrive before it runs ride along. The database's version counters decide what is stale,
/// so a lost schedule (crash) is repaired by the recovery (at the next start, or by the sweep in postgres mode).
/// With SQLite (one process) the "already scheduled" marks live in memory; with PostgreSQL (any number of
/// nodes) they are rows of TrendRequests, whose primary key lets exactly one node schedule the run.
/// </summary>
public sealed class TrendScheduler(IBackgroundJobClient jobs, IOptions<NirsOptions> options, IServiceScopeFactory scopes,
    TimeProvider clock)
{
    private static readonly DateTimeOffsetToBinaryConverter Stamp = new();
    private readonly ConcurrentDictionary<Guid, byte> _scheduled = new();
    private readonly bool _shared = options.Value.IsPostgres;

    public async Task RequestAsync(Guid athleteId)
    {
        if (_shared)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            var now = (long)Stamp.ConvertToProvider(clock.GetUtcNow())!;
            var inserted = await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "TrendRequests" ("AthleteId", "RequestedAt") VALUES ({athleteId}, {now}) ON CONFLICT DO NOTHING""");
            if (inserted == 0) return;
        }
        else if (!_scheduled.TryAdd(athleteId, 0)) return;
        Schedule(athleteId);
    }

    /// <summary>Called when the trend job starts: later rides must schedule a new run.</summary>
    public async Task StartedAsync(Guid athleteId)
    {
        if (!_shared)
        {
            _scheduled.TryRemove(athleteId, out _);
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        await db.TrendRequests.Where(t => t.AthleteId == athleteId).ExecuteDeleteAsync();
    }

    private void Schedule(Guid athleteId)
    {
        var delay = TimeSpan.FromSeconds(Math.Max(0, options.Value.TrendBatchDelaySeconds));
        if (delay == TimeSpan.Zero) jobs.Enqueue<TrendJob>(job => job.RunAsync(athleteId));
        else jobs.Schedule<TrendJob>(job => job.RunAsync(athleteId), delay);
    }
}
