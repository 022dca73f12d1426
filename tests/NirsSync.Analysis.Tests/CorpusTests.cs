using System.Text.Json;
using NirsSync.Fit;

namespace NirsSync.Analysis.Tests;

public class CorpusTests
{
    private static void AssertInRange(ChannelMetrics c)
    {
        foreach (var v in new[] { c.SmO2.P5, c.SmO2.P50, c.SmO2.P95, c.SmO2.Min, c.SmO2.Max })
            Assert.InRange(v!.Value, 0.1, 100);
        foreach (var v in new[] { c.THb.P5, c.THb.P50, c.THb.P95 })
            if (v is { } t) Assert.InRange(t, 0.01, 40);
        Assert.True(c.SmO2.P5 <= c.SmO2.P50 && c.SmO2.P50 <= c.SmO2.P95);
    }

    [Fact]
    public void Moxy_two_sensors_gives_two_channels_with_integer_fields_scaled_and_float_duplicates_merged()
    {
        var a = RideAnalyzer.Analyze(Corpus.Columnar("runalyze/moxy-2sensors.fit"));
        Assert.Equal(2, a.Channels.Count);
        var first = a.Channels[0];
        var second = a.Channels[1];
        Assert.Equal("0:0", first.Channel.Id);
        Assert.Equal("0:1", first.Channel.THbField);
        Assert.Equal(["0:2", "0:3"], first.Channel.DuplicateFields);
        Assert.Equal("1:0", second.Channel.Id);
        Assert.Equal(["1:2", "1:3"], second.Channel.DuplicateFields);
        // uint16 raw 560-690 with native 57 and no scale are x10: 56.0-69.0 %.
        Assert.Equal(57.0, first.SmO2.P5);
        Assert.InRange(first.SmO2.Min!.Value, 56.0, 57.0); // min of the 5 s centred mean
        Assert.Equal(69.0, first.SmO2.P95!.Value, 1);
        Assert.Equal(12.31, first.THb.P95!.Value, 2);
        Assert.Null(first.Channel.Sensor); // "Sensor 0" means not paired
        foreach (var c in a.Channels)
        {
            AssertInRange(c);
            Assert.Equal(84, c.Quality.Samples);
            Assert.Equal(1.0, c.Quality.ValidFraction);
        }
    }

    [Fact]
    public void Moxy_float_gives_one_channel_with_sensor_and_left_quadriceps_from_the_file()
    {
        var a = RideAnalyzer.Analyze(Corpus.Columnar("runalyze/moxy-float.fit"));
        var c = Assert.Single(a.Channels);
        Assert.Equal(665u, c.Channel.Sensor);
        Assert.Equal(Side.Left, c.Channel.Side);
        Assert.Equal(Region.Quadriceps, c.Channel.Region);
        Assert.Equal(Muscle.Unknown, c.Channel.Muscle);
        Assert.Equal(IdentitySource.FileLocation, c.Channel.Source);
        Assert.Equal(178, c.Quality.ValidSmO2);
        Assert.Equal(31.0, c.SmO2.Min!.Value, 1);
        AssertInRange(c);
    }

    [Fact]
    public void Athlete_map_names_the_muscle_the_file_only_gives_as_a_region()
    {
        var map = new SensorMap([new SensorAssignment(665, Muscle.VastusMedialis, Side.Left)]);
        var c = Assert.Single(RideAnalyzer.Analyze(Corpus.Columnar("runalyze/moxy-float.fit"), map).Channels);
        Assert.Equal(Muscle.VastusMedialis, c.Channel.Muscle);
        Assert.Equal(IdentitySource.AthleteMap, c.Channel.Source);
    }

    [Fact]
    public void GoldenCheetah_two_apps_give_two_channels_without_thb()
    {
        var a = RideAnalyzer.Analyze(Corpus.Columnar("goldencheetah/Indoor_Cycling2smO2sensors.fit"));
        Assert.Equal(2, a.Channels.Count);
        Assert.Equal(["0:3", "1:3"], a.Channels.Select(c => c.Channel.Id));
        foreach (var c in a.Channels)
        {
            AssertInRange(c);
            Assert.Null(c.THb.P50);
            Assert.Null(c.O2HbMean);
            Assert.InRange(c.SmO2.P50!.Value, 60, 75);
        }
    }

    [Theory]
    [InlineData("runalyze/moxy-2sensors.fit")]
    [InlineData("runalyze/moxy-float.fit")]
    [InlineData("goldencheetah/Indoor_Cycling2smO2sensors.fit")]
    public void Zeros_in_corpus_rides_are_missing_never_a_minimum(string file)
    {
        var clean = RideAnalyzer.Analyze(Corpus.Columnar(file));
        var frame = Corpus.Columnar(file);
        // Every field of each sensor, duplicates included, so no duplicate can fill the zeros in.
        var keys = clean.Channels.SelectMany(ch => ch.Channel.DuplicateFields.Append(ch.Channel.Id)).ToHashSet();
        var smo2Columns = frame.Columns.Where(c => keys.Contains(c.Key)).ToList();
        foreach (var col in smo2Columns)
            for (var i = 3; i < frame.Count; i += 5) col.Values[i] = 0;
        var zeroed = RideAnalyzer.Analyze(frame);
        Assert.Equal(clean.Channels.Count, zeroed.Channels.Count);
        for (var c = 0; c < clean.Channels.Count; c++)
        {
            var z = zeroed.Channels[c];
            Assert.True(z.Quality.Zeros >= frame.Count / 5 - 1, $"{file} {z.Channel.Id}: zeros {z.Quality.Zeros}");
            Assert.True(z.Quality.ValidSmO2 < clean.Channels[c].Quality.ValidSmO2);
            Assert.True(z.SmO2.Min >= clean.Channels[c].SmO2.Min - 1e-6, "a zero must not become the minimum");
            Assert.True(z.SmO2.P5 >= clean.Channels[c].SmO2.P5 - 1e-6);
            AssertInRange(z);
        }
    }

    [Theory]
    [InlineData("runalyze/moxy-2sensors.fit")]
    [InlineData("runalyze/moxy-float.fit")]
    [InlineData("goldencheetah/Indoor_Cycling2smO2sensors.fit")]
    public void Columnar_reader_and_message_api_give_the_same_analysis(string file)
    {
        var a = JsonSerializer.Serialize(RideAnalyzer.Analyze(Corpus.Columnar(file)));
        var b = JsonSerializer.Serialize(RideAnalyzer.Analyze(FitDecoder.Decode(Corpus.Bytes(file))));
        Assert.Equal(a, b);
    }
}
