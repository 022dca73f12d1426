using System.Text.Json;
using NirsSync.Server.Data;

namespace NirsSync.Server.Processing;

/// <summary>One week of an athlete's riding.</summary>
public sealed record WeekSummary(DateOnly WeekStart, string IsoWeek, int Rides, double Hours, double? AveragePower);

/// <summary>Weekly trends of an athlete, as stored in <see cref="Athlete.TrendsJson"/>.</summary>
public sealed record TrendDocument(DateTimeOffset ComputedAt, IReadOnlyList<WeekSummary> Weeks);

/// <summary>Builds the weekly trend document from an athlete's rides.</summary>
public sealed class TrendBuilder
{
    public string Build(IReadOnlyList<Ride> rides, DateTimeOffset now)
    {
        var weeks = rides.GroupBy(r => r.WeekStart).OrderBy(g => g.Key).Select(g =>
        {
            var powered = g.Where(r => r.AveragePower is not null).ToList();
            var seconds = powered.Sum(r => r.DurationSeconds);
            return new WeekSummary(g.Key, RideWriter.IsoWeek(g.Key), g.Count(),
                Math.Round(g.Sum(r => r.DurationSeconds) / 3600, 2),
                seconds > 0 ? Math.Round(powered.Sum(r => r.AveragePower!.Value * r.DurationSeconds) / seconds, 1) : null);
        }).ToList();
        return JsonSerializer.Serialize(new TrendDocument(now, weeks), RideWriter.Json);
    }
}
