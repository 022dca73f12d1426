using System.Collections.Concurrent;
using Hangfire;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Trends;

/// <summary>
/// Batches weekly-trend updates: the first ride of a burst schedules one trend job a moment later;
/// rides that arrive before it runs ride along. The database's version counters decide what is stale,
/// so a lost schedule (crash) is repaired at the next start.
/// </summary>
public sealed class TrendScheduler(IBackgroundJobClient jobs, IOptions<NirsOptions> options)
{
    private readonly ConcurrentDictionary<Guid, byte> _scheduled = new();

    public void Request(Guid athleteId)
    {
        if (!_scheduled.TryAdd(athleteId, 0)) return;
        var delay = TimeSpan.FromSeconds(Math.Max(0, options.Value.TrendBatchDelaySeconds));
        if (delay == TimeSpan.Zero) jobs.Enqueue<TrendJob>(job => job.RunAsync(athleteId));
        else jobs.Schedule<TrendJob>(job => job.RunAsync(athleteId), delay);
    }

    /// <summary>Called when the trend job starts: later rides must schedule a new run.</summary>
    public void Started(Guid athleteId) => _scheduled.TryRemove(athleteId, out _);
}
