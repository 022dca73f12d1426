using System.Globalization;
using NirsSync.SensorExports.Synthetic;

namespace NirsSync.SensorExports.Tests;

public class ParsingTests
{
    [Fact]
    public void Fast_decimal_path_gives_exactly_what_double_parse_gives()
    {
        var random = new Random(7);
        for (var i = 0; i < 200_000; i++)
        {
            var digits = random.Next(0, 8);
            var value = Math.Round((random.NextDouble() - 0.3) * Math.Pow(10, random.Next(0, 8)), digits);
            var text = value.ToString("0.#######", CultureInfo.InvariantCulture);
            Assert.True(CsvRows.SimpleDecimal(text, out var fast), text);
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), fast);
        }
        foreach (var bad in new[] { "", "-", ".", "1.2.3", "1e5", "+1", "12a", "1234567890123456" })
            Assert.False(CsvRows.SimpleDecimal(bad, out _), bad);
    }

    [Fact]
    public void Generated_hour_of_train_red_reads_back_with_its_sensors_and_laps()
    {
        var bytes = SyntheticExports.TrainRedCsv(TimeSpan.FromHours(1));
        Assert.InRange(bytes.Length, 4_000_000, 6_000_000);
        var e = SensorExportReader.Read(bytes, new SensorExportOptions { TimeZone = TimeZoneInfo.Utc });
        Assert.Equal(SensorExportFormat.TrainRedCsv, e.Format);
        Assert.InRange(e.Count, 34_000, 38_000);
        Assert.InRange(e.DurationS, 3599, 3600);
        Assert.InRange(e.SampleRateHz, 8, 12.5);
        Assert.Equal([673u, 674u], e.Channels.Select(c => c.Sensor!.Value));
        Assert.Equal(12, e.Laps.Count);
        Assert.Equal(new DateTimeOffset(2026, 2, 6, 13, 15, 12, 300, TimeSpan.Zero), e.Start);
        Assert.All(e.Channels, c => Assert.DoesNotContain(c.SmO2!, float.IsNaN));
    }
}
