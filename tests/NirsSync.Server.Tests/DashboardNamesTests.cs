using NirsSync.Server.Dashboard;

namespace NirsSync.Server.Tests;

/// <summary>Labels a coach reads on the dashboard: muscles and sides instead of channel ids, pairs instead of keys, ride lengths.</summary>
public sealed class DashboardNamesTests
{
    [Theory]
    [InlineData("vastus_lateralis left/right", "Vastus lateralis L/R")]
    [InlineData("gastrocnemius_medial_head/gastrocnemius_lateral_head left", "Gastrocnemius medial/lateral L")]
    [InlineData("vastus_lateralis/vastus_medialis right", "Vastus lateralis/medialis R")]
    [InlineData("vastus_lateralis/biceps_femoris left", "Vastus lateralis/biceps femoris L")]
    [InlineData("Quads vs hams (coach)", "Quads vs hams (coach)")]
    public void PairNamesReadLikeACoachWritesThem(string raw, string shown) => Assert.Equal(shown, Names.Pair(raw));

    [Theory]
    [InlineData("vastus_lateralis/left|vastus_lateralis/right", "Vastus lateralis L/R")]
    [InlineData("gastrocnemius_medial_head/right|gastrocnemius_lateral_head/right", "Gastrocnemius medial/lateral R")]
    [InlineData("vastus_lateralis/left", "Vastus lateralis (left)")]
    [InlineData("rectus_femoris/left|biceps_femoris/right", "Rectus femoris (left) vs Biceps femoris (right)")]
    public void TrendSubjects(string subject, string shown) => Assert.Equal(shown, Names.Subject(subject));

    [Theory]
    [InlineData("vastus_lateralis", "left", "data field 0 sensor 1", 21001L, "Vastus lateralis L")]
    [InlineData("gastrocnemius_medial_head", "right", "data field 0 sensor 2", null, "Gastrocnemius medial R")]
    [InlineData("unknown", "unknown", "data field 0 sensor 1", 21001L, "data field 0 sensor 1")]
    [InlineData(null, null, null, 21001L, "sensor 21001")]
    public void SensorsByMuscleAndSideWhenKnown(string? muscle, string? side, string? label, long? sensor, string shown) =>
        Assert.Equal(shown, Names.Channel(muscle, side, label, sensor));

    /// <summary>The API's durationSeconds spans first to last record; the ride lasted one more sample interval.</summary>
    [Theory]
    [InlineData(2699, 2700, "45:00")]
    [InlineData(14399, 14400, "4:00:00")]
    [InlineData(5398, 2700, "1:30:00")]
    [InlineData(0, 1, "0:00")]
    public void RideLengthCountsTheLastSample(double durationSeconds, int records, string shown) =>
        Assert.Equal(shown, Names.RideDuration(durationSeconds, records));

    /// <summary>A 24-hour race and a multi-day recording read in whole hours; "h" of a TimeSpan showed 26 hours as 2:00:00.</summary>
    [Theory]
    [InlineData(3599, "59:59")]
    [InlineData(3600, "1:00:00")]
    [InlineData(86_399, "23:59:59")]
    [InlineData(93_784, "26:03:04")]
    [InlineData(6 * 86_400 + 61, "144:01:01")]
    public void LengthsOfADayOrMoreKeepTheirDays(double seconds, string shown) => Assert.Equal(shown, Names.Duration(seconds));
}
