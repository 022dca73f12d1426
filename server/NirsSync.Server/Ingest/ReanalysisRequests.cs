using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Ingest;

/// <summary>
/// The re-analysis owed after a sensor-map or pairs change lives in the athlete's row
/// (<see cref="Athlete.ReanalyzePending"/>, <see cref="Athlete.ReanalyzeDueAt"/>), written with the change.
/// Each change moves the due time later and schedules <see cref="ReanalyzeJob.RunPendingAsync"/> for that due time;
/// a run whose due time is no longer the row's does nothing, so a burst of changes runs one re-analysis.
/// </summary>
public sealed class ReanalysisRequests(IBackgroundJobClient jobs, IOptions<NirsOptions> options, TimeProvider clock)
{
    /// <summary>The marker meaning every ride of the athlete.</summary>
    public const string Everything = "*";

    public TimeSpan Delay => TimeSpan.FromSeconds(Math.Max(0, options.Value.ReanalyzeDelaySeconds));

    /// <summary>Now plus the delay, in whole milliseconds (stored exactly, so a run can match it).</summary>
    public DateTimeOffset DueAt()
    {
        var due = clock.GetUtcNow() + Delay;
        return new DateTimeOffset(due.UtcTicks - due.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    /// <summary>Schedules the run for <paramref name="due"/> (the value written into the athlete's row).</summary>
    public void Schedule(Guid athleteId, DateTimeOffset due)
    {
        var ticks = due.UtcTicks;
        var wait = due - clock.GetUtcNow();
        if (wait <= TimeSpan.Zero) jobs.Enqueue<ReanalyzeJob>(job => job.RunPendingAsync(athleteId, ticks));
        else jobs.Schedule<ReanalyzeJob>(job => job.RunPendingAsync(athleteId, ticks), wait);
    }

    /// <summary>The owed work after adding <paramref name="devices"/> to <paramref name="pending"/>.</summary>
    public static string Merge(string? pending, IEnumerable<int> devices)
    {
        if (pending == Everything) return Everything;
        var set = new SortedSet<int>(Devices(pending) ?? []);
        set.UnionWith(devices);
        return JsonSerializer.Serialize(set.ToArray());
    }

    /// <summary>The sensors a marker names; null for <see cref="Everything"/> or no marker.</summary>
    public static int[]? Devices(string? pending) =>
        pending is null or Everything ? null : JsonSerializer.Deserialize<int[]>(pending);
}
