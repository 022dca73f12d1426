using NirsSync.Analysis;

namespace NirsSync.SensorExports.Tests;

public class TimeRuleTests
{
    [Fact]
    public void Leap_day_without_a_year_goes_back_to_the_last_leap_year()
    {
        var reference = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(2024, ExportTime.YearBefore(2, 29, TimeSpan.FromHours(10), reference, TimeZoneInfo.Utc));
        Assert.Equal(2027, ExportTime.YearBefore(2, 28, TimeSpan.FromHours(10), reference, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Wall_clock_in_the_hour_clocks_skip_or_repeat_gets_one_offset()
    {
        // Berlin 2026-03-29 02:30 does not exist (clocks jump 02:00 -> 03:00): the offset before the gap, +1.
        Assert.Equal(TimeSpan.FromHours(1), ExportTime.ToInstant(new DateTime(2026, 3, 29, 2, 30, 0), Samples.Berlin).Offset);
        // 2026-10-25 02:30 happens twice: standard time, +1.
        Assert.Equal(TimeSpan.FromHours(1), ExportTime.ToInstant(new DateTime(2026, 10, 25, 2, 30, 0), Samples.Berlin).Offset);
        Assert.Equal(TimeSpan.FromHours(2), ExportTime.ToInstant(new DateTime(2026, 7, 1, 12, 0, 0), Samples.Berlin).Offset);
    }

    [Fact]
    public void A_moxy_recording_across_the_clock_change_has_no_jump()
    {
        var e = SensorExportReader.Read(Samples.Text("mm-dd,hh:mm:ss,SmO2 Live,THb\n25-Oct,01:59:58,50,12\n25-Oct,02:00:00,51,12\n"),
            new SensorExportOptions { TimeZone = Samples.Berlin, Reference = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) });
        Assert.Equal([0.0, 2.0], e.TimeS);
        Assert.Equal(new DateTimeOffset(2026, 10, 24, 23, 59, 58, TimeSpan.Zero), e.Start);
    }

    [Theory]
    [InlineData("legRightUpperFront", 10, Region.Quadriceps, Side.Right)]
    [InlineData("legLeftUpperFront", 4, Region.Quadriceps, Side.Left)]
    [InlineData("legLeftUpperBack", 3, Region.Hamstrings, Side.Left)]
    [InlineData("legRightLowerBack", 7, Region.Calf, Side.Right)]
    [InlineData("legLeftLowerFront", 2, Region.Shin, Side.Left)]
    [InlineData("hipRight", 11, Region.Glutes, Side.Right)]
    [InlineData("legRight", 6, Region.Other, Side.Right)]
    public void Positions_become_FIT_body_locations(string position, int code, Region region, Side side)
    {
        Assert.Equal(code, Positions.BodyLocation(position));
        Assert.Equal((region, side), Muscles.FromBodyLocation(code));
    }

    [Theory]
    [InlineData("armLeftUpper")]
    [InlineData("legUpperFront")]
    [InlineData("")]
    public void Positions_without_a_side_or_a_leg_part_give_no_location(string position) =>
        Assert.Null(Positions.BodyLocation(position));

    [Theory]
    [InlineData("Session at 2025-05-06 2:15 p.m.", 2025, 5, 6, 14, 15)]
    [InlineData("Session at 2025-05-06 12:05 a.m.", 2025, 5, 6, 0, 5)]
    [InlineData("Session at 2025-12-31 23:59", 2025, 12, 31, 23, 59)]
    [InlineData("Session at 2025-05-06 2:15 PM", 2025, 5, 6, 14, 15)]
    public void Train_red_session_times_are_read(string text, int y, int mo, int d, int h, int mi) =>
        Assert.Equal(new DateTime(y, mo, d, h, mi, 0), ExportTime.SessionDate(text));
}
