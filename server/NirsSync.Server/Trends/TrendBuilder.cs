using NirsSync.Analysis;
using NirsSync.Data;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Trends;

/// <summary>
/// Builds an athlete's weekly trends (per muscle and per pair, with flags) from the rides' summaries,
/// with ISO weeks counted in the athlete's time zone.
/// </summary>
public sealed class TrendBuilder
{
    /// <summary>The stored trend document (<see cref="RideDocuments.WriteTrends"/>) of <paramref name="rides"/>.</summary>
    public string Build(IReadOnlyList<Ride> rides, TimeZoneInfo timeZone, TrendOptions? options = null)
    {
        var summaries = rides.Select(r => new RideSummary(r.Id.ToString(), r.StartTime, RideDocuments.ReadSummary(r.SummaryJson)));
        return RideDocuments.WriteTrends(WeeklyTrends.Compute(summaries, timeZone, options));
    }

    /// <summary>The trend settings of one athlete: new baselines at each dated placement of the sensor map, and the coach's healthy periods.</summary>
    public static TrendOptions OptionsFor(string sensorMapJson, string healthyPeriodsJson) => TrendOptions.Default with
    {
        Placements = Data.Documents.SensorMap.Placements(Data.Documents.SensorMap.Parse(sensorMapJson)),
        HealthyPeriods = HealthyPeriods.ToAnalysis(HealthyPeriods.Parse(healthyPeriodsJson)),
    };
}
