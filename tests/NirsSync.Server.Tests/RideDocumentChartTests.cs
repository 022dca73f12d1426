using System.Text;
using System.Text.Json;
using NirsSync.Analysis;
using NirsSync.Data.Documents;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Server.Tests;

/// <summary>
/// The chart of a schema-3 ride document: series as scaled integers (delta, zig-zag, varint, base64) that come
/// back bit-identical, a JSON-array fallback for what that form cannot hold, schema-2 documents read as the same
/// ride, and damaged streams refused naming the series.
/// </summary>
public sealed class RideDocumentChartTests
{
    private static string Json<T>(T value) => JsonSerializer.Serialize(value, AnalysisJson.Options);

    private static RideAnalysis OneHourTwoSensors() => RideAnalyzer.Analyze(FitColumnarReader.Read(
        SyntheticRide.Generate(new SyntheticRideOptions { Seed = 1, Duration = TimeSpan.FromHours(1) }), FitDecodeOptions.Lenient));

    /// <summary>The previous version's <c>RideDocuments.Write</c>: the record as plain JSON, schema 2.</summary>
    private static byte[] WriteSchema2(RideDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document with { Schema = 2 }, AnalysisJson.Options);

    private static void AssertSameBits(double?[] expected, double?[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].HasValue == actual[i].HasValue, $"{what}[{i}]: {expected[i]} became {actual[i]}");
            if (expected[i] is { } e)
                Assert.True(BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(actual[i]!.Value),
                    $"{what}[{i}]: {e:R} became {actual[i]:R}");
        }
    }

    private static void AssertSameChart(RideChart expected, RideChart actual)
    {
        Assert.Equal(expected.StepSeconds, actual.StepSeconds);
        Assert.Equal(expected.Seconds, actual.Seconds);
        AssertSameBits(expected.Power, actual.Power, "power");
        Assert.Equal(expected.Channels.Count, actual.Channels.Count);
        for (var c = 0; c < expected.Channels.Count; c++)
        {
            Assert.Equal(expected.Channels[c].ChannelId, actual.Channels[c].ChannelId);
            AssertSameBits(expected.Channels[c].SmO2, actual.Channels[c].SmO2, $"channels[{c}].smO2");
            AssertSameBits(expected.Channels[c].THb, actual.Channels[c].THb, $"channels[{c}].tHb");
        }
    }

    private static double?[] RoundTrip(double?[] values, int digits)
    {
        var buffer = new byte[ChartSeriesCodec.MaxEncodedLength(values.Length)];
        var length = ChartSeriesCodec.TryEncode(values, digits, buffer);
        Assert.True(length >= 0, $"the codec refused a series rounded to {digits} digits");
        return ChartSeriesCodec.Decode(buffer.AsSpan(0, length), digits, values.Length, "test");
    }

    [Fact]
    public void OneHourTwoSensorRideStoresEverySeriesCompactlyAndReadsBackBitIdentical()
    {
        var analysis = OneHourTwoSensors();
        var document = RideDocuments.Of(analysis);
        Assert.Equal(3, document.Schema);
        var bytes = RideDocuments.Write(document);
        var before = WriteSchema2(document);

        using (var json = JsonDocument.Parse(bytes))
        {
            var root = json.RootElement;
            Assert.Equal(3, root.GetProperty("schema").GetInt32());
            var chart = root.GetProperty("chart");
            Assert.Equal(600, chart.GetProperty("points").GetInt32());
            Assert.Equal(6, chart.GetProperty("stepSeconds").GetInt32());
            Assert.Equal(ChartSeriesCodec.Name, chart.GetProperty("encoding").GetString());
            Assert.False(chart.TryGetProperty("seconds", out _)); // the regular axis is not stored
            Assert.Equal(JsonValueKind.String, chart.GetProperty("power").ValueKind);
            Assert.Equal(2, chart.GetProperty("channels").GetArrayLength());
            foreach (var channel in chart.GetProperty("channels").EnumerateArray())
            {
                Assert.Equal(JsonValueKind.String, channel.GetProperty("smO2").ValueKind);
                Assert.Equal(JsonValueKind.String, channel.GetProperty("tHb").ValueKind);
            }
        }
        // The chart was about 22 KB of a 50 KB document as JSON numbers.
        Assert.True(bytes.Length < before.Length - 14_000, $"schema 3 {bytes.Length} bytes, schema 2 {before.Length}");

        var read = RideDocuments.Read(bytes);
        AssertSameChart(analysis.Chart(), read.Chart);
        Assert.Equal(Json(document), Json(read));
        Assert.Equal(Json(RideDocuments.SeriesView(document)), Json(RideDocuments.SeriesView(read)));
    }

    [Fact]
    public void SchemaTwoDocumentReadsAsTheSameRideAsItsSchemaThreeRewrite()
    {
        var document = RideDocuments.Of(OneHourTwoSensors());
        var fromSchema2 = RideDocuments.Read(WriteSchema2(document));
        Assert.Equal(RideDocuments.RideSchema, fromSchema2.Schema);
        var rewritten = RideDocuments.Read(RideDocuments.Write(fromSchema2));
        Assert.Equal(Json(fromSchema2), Json(rewritten));
        AssertSameChart(fromSchema2.Chart, rewritten.Chart);
        AssertSameChart(document.Chart, fromSchema2.Chart);
        Assert.Equal(Json(RideDocuments.SeriesView(fromSchema2)), Json(RideDocuments.SeriesView(rewritten)));
    }

    [Fact]
    public void LiteralSchemaTwoDocumentAsThePreviousVersionStoredItReadsAndRewritesUnchanged()
    {
        var stored = """
            {"schema":2,"metrics":[],"pairs":[],"chart":{"stepSeconds":6,"seconds":[0,6,12,18],"power":[213.33,null,0,1650.5],
            "channels":[{"channelId":"ours:1","smO2":[55.12,null,-0.01,100],"tHb":[12.345,12.3,null,0.001]}]}}
            """u8.ToArray();
        var read = RideDocuments.Read(stored);
        Assert.Equal(3, read.Schema);
        Assert.Equal(new[] { 0, 6, 12, 18 }, read.Chart.Seconds);
        Assert.Equal(new double?[] { 213.33, null, 0, 1650.5 }, read.Chart.Power);
        Assert.Equal(new double?[] { 55.12, null, -0.01, 100 }, read.Chart.Channels[0].SmO2);
        Assert.Equal(new double?[] { 12.345, 12.3, null, 0.001 }, read.Chart.Channels[0].THb);

        var rewritten = RideDocuments.Write(read);
        Assert.StartsWith("{\"schema\":3,", Encoding.UTF8.GetString(rewritten));
        Assert.DoesNotContain("[213.33", Encoding.UTF8.GetString(rewritten)); // stored compactly, not as numbers
        AssertSameChart(read.Chart, RideDocuments.Read(rewritten).Chart);
        Assert.Equal(Json(read), Json(RideDocuments.Read(rewritten)));
    }

    [Fact]
    public void EveryValueTheDownsamplerRoundsComesBackBitIdentical()
    {
        // Math.Round(x, d) is the double nearest k / 10^d; the codec stores k and divides again.
        var random = new Random(11);
        foreach (var (digits, scale) in new[] { (2, 2000.0), (2, 100.0), (3, 40.0), (2, 70_000.0), (0, 1e6), (9, 1.0) })
        {
            var values = new double?[20_000];
            for (var i = 0; i < values.Length; i++)
            {
                var v = Math.Round((random.NextDouble() * 2 - 1) * scale, digits, MidpointRounding.AwayFromZero);
                // A small negative mean rounds to -0, which this form cannot tell from 0: such a series is stored
                // as a JSON array (SeriesTheCompactFormWouldChange...).
                values[i] = i % 97 == 0 ? null : v == 0 ? 0.0 : v;
            }
            AssertSameBits(values, RoundTrip(values, digits), $"random ±{scale} at {digits} digits");
        }
        // Every k/100 and k/1000 in ±1,000,000 (power to ±10,000 W, SmO2 and tHb far beyond their range).
        foreach (var digits in new[] { 2, 3 })
        {
            var p = Math.Pow(10, digits);
            var grid = new double?[2_000_001];
            for (var k = -1_000_000; k <= 1_000_000; k++) grid[k + 1_000_000] = Math.Round(k / p, digits, MidpointRounding.AwayFromZero);
            AssertSameBits(grid, RoundTrip(grid, digits), $"grid at {digits} digits");
        }
        // Edges: zero, the smallest steps, midpoints rounded away from zero, the largest power a FIT file holds,
        // far larger power, and the largest magnitude the form takes (2^53 / 100).
        double?[] edges = [0.0, 0.01, -0.01, Math.Round(0.005, 2, MidpointRounding.AwayFromZero), Math.Round(-0.015, 2, MidpointRounding.AwayFromZero),
            65535, 65534.99, -65535, 1e9, 123456789.12, 90071992547409.92, -90071992547409.92, null, 0.07];
        foreach (var v in edges)
            if (v is { } x) Assert.True(x == Math.Round(x, 2, MidpointRounding.AwayFromZero), $"{x:R} is a 2-digit value");
        AssertSameBits(edges, RoundTrip(edges, 2), "edges");
    }

    [Fact]
    public void NullsAnywhereComeBackAsNullsWithoutNaN()
    {
        double?[] values = [null, null, 55.5, null, 54.25, null, null, 80, null];
        var read = RoundTrip(values, 2);
        AssertSameBits(values, read, "nulls");
        Assert.DoesNotContain(read, v => v is { } x && double.IsNaN(x));
        var allNull = new double?[600];
        var buffer = new byte[ChartSeriesCodec.MaxEncodedLength(600)];
        Assert.Equal(600, ChartSeriesCodec.TryEncode(allNull, 2, buffer)); // one byte per null
        Assert.All(ChartSeriesCodec.Decode(buffer.AsSpan(0, 600), 2, 600, "power"), v => Assert.Null(v));
    }

    [Fact]
    public void TheFormatIsTheDocumentedOne()
    {
        // 0 null; zigzag(k - previous k) + 1, LEB128; previous starts at 0 and skips nulls.
        double?[] values = [1.00, 1.02, null, 0.99, 0.99, 2.27];
        var buffer = new byte[ChartSeriesCodec.MaxEncodedLength(values.Length)];
        var length = ChartSeriesCodec.TryEncode(values, 2, buffer);
        // k: 100, 102, -, 99, 99, 227 -> deltas 100, 2, -, -3, 0, 128 -> zigzag 200, 4, -, 5, 0, 256 -> +1
        Assert.Equal(new byte[] { 0xC9, 0x01, 0x05, 0x00, 0x06, 0x01, 0x81, 0x02 }, buffer.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void ValuesTheFormCannotHoldExactlyAreRefused()
    {
        var buffer = new byte[ChartSeriesCodec.MaxEncodedLength(1)];
        foreach (var v in new[] { 0.123, 1.005 + 1e-9, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 1e300, 90071992547409.94, 0.1 + 0.2 })
            Assert.True(ChartSeriesCodec.TryEncode([v], 2, buffer) == -1, $"{v:R} at 2 digits");
    }

    [Fact]
    public void SeriesTheCompactFormWouldChangeAreStoredAsJsonArraysAndReadBackExactly()
    {
        // A future rounding to more digits, a NaN, -0, a power series shorter than the axis, irregular bucket starts.
        var chart = new RideChart(5, [0, 5, 13, 15],
            [100.125, null, 250, double.NaN],
            [
                new ChannelChart("ours:1", [55.12, 55.13, null, 60], [12.3456, 12.345, 12.344, null]),
                new ChannelChart("moxy:7", [Math.Round(-0.001, 2, MidpointRounding.AwayFromZero), 1, 2, 3], [11, 11.5, 12, 12.5]),
                new ChannelChart("moxy:8", [], [10, 10, 10, 10]),
            ]);
        var document = new RideDocument(2, [], [], chart);
        var bytes = RideDocuments.Write(document);
        using (var json = JsonDocument.Parse(bytes))
        {
            var c = json.RootElement.GetProperty("chart");
            Assert.Equal(3, json.RootElement.GetProperty("schema").GetInt32());
            Assert.Equal(JsonValueKind.Array, c.GetProperty("seconds").ValueKind);
            Assert.Equal(JsonValueKind.Array, c.GetProperty("power").ValueKind);
            var channels = c.GetProperty("channels");
            Assert.Equal(JsonValueKind.String, channels[0].GetProperty("smO2").ValueKind);
            Assert.Equal(JsonValueKind.Array, channels[0].GetProperty("tHb").ValueKind);
            Assert.Equal(JsonValueKind.Array, channels[1].GetProperty("smO2").ValueKind);
            Assert.Equal(JsonValueKind.String, channels[1].GetProperty("tHb").ValueKind);
            Assert.Equal(0, channels[2].GetProperty("smO2").GetArrayLength());
        }
        var read = RideDocuments.Read(bytes);
        Assert.Equal(3, read.Schema);
        AssertSameChart(chart, read.Chart);
    }

    [Fact]
    public void ADocumentWithoutAChartIsNotWrittenSinceItCouldNotBeReadBack()
    {
        var e = Assert.Throws<ArgumentException>(() => RideDocuments.Write(new RideDocument(3, [], [], null!)));
        Assert.Contains("needs its chart", e.Message);
    }

    private static byte[] Stored(string chart) =>
        Encoding.UTF8.GetBytes($$"""{"schema":3,"metrics":[],"pairs":[],"chart":{{chart}}}""");

    private static string Base64(params byte[] bytes) => Convert.ToBase64String(bytes);

    private static string Chart(int points, string power, string smO2, string tHb, string head = "") =>
        $$"""{"stepSeconds":6,"points":{{points}},{{head}}"encoding":"{{ChartSeriesCodec.Name}}","digits":{"power":2,"smO2":2,"tHb":3},"power":{{power}},"channels":[{"channelId":"ours:1","smO2":{{smO2}},"tHb":{{tHb}}}]}""";

    private static string Refused(byte[] document) => Assert.Throws<JsonException>(() => RideDocuments.Read(document)).Message;

    [Fact]
    public void AWellFormedHandWrittenChartReads()
    {
        // 1.00, null, 0.99 at 2 digits; 12.345 three times at 3 digits.
        var read = RideDocuments.Read(Stored(Chart(3, $"\"{Base64(0xC9, 0x01, 0x00, 0x02)}\"", "[55,56,57]", $"\"{Base64(0xF3, 0xC0, 0x01, 0x01, 0x01)}\"")));
        Assert.Equal(new[] { 0, 6, 12 }, read.Chart.Seconds);
        Assert.Equal(new double?[] { 1.00, null, 0.99 }, read.Chart.Power);
        Assert.Equal(new double?[] { 55, 56, 57 }, read.Chart.Channels[0].SmO2);
        Assert.Equal(new double?[] { 12.345, 12.345, 12.345 }, read.Chart.Channels[0].THb);
    }

    [Fact]
    public void DamagedStreamsAreRefusedNamingTheSeriesAndWhatIsWrong()
    {
        const string ok = "\"AQEB\""; // three values of 0
        Assert.Contains("channels[0].tHb (ours:1): the stream ends inside value 2 (byte 2 of 3)",
            Refused(Stored(Chart(3, ok, ok, $"\"{Base64(0x01, 0x01, 0x80)}\""))));
        Assert.Contains("power: 3 bytes cannot hold 4 values",
            Refused(Stored(Chart(4, ok, ok, ok))));
        Assert.Contains("channels[0].smO2 (ours:1): 1 bytes are left after the 2 values (byte 2)",
            Refused(Stored(Chart(2, "\"AQE=\"", ok, "\"AQE=\""))));
        Assert.Contains("power: value 0 at byte 0 is a varint longer than 8 bytes",
            Refused(Stored(Chart(1, $"\"{Base64(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)}\"", "\"AQ==\"", "\"AQ==\""))));
        // 2^53 + 1 (zigzag 2^54 + 2, plus one) is beyond the range
        var big = new List<byte>();
        for (var code = (1UL << 54) + 3; code != 0; code >>= 7) big.Add((byte)((code & 0x7F) | (code >= 0x80 ? 0x80UL : 0)));
        Assert.Contains("power: value 0 at byte 0 is out of range",
            Refused(Stored(Chart(1, $"\"{Base64([.. big])}\"", "\"AQ==\"", "\"AQ==\""))));
        Assert.Contains("power: the string is not valid base64",
            Refused(Stored(Chart(3, "\"A*Q=\"", ok, ok))));
        Assert.Contains("channels[0].smO2 (ours:1): expected a base64 string, an array of numbers or null, found Number",
            Refused(Stored(Chart(3, ok, "5", ok))));
    }

    [Fact]
    public void ABadChartHeaderIsRefusedNamingIt()
    {
        const string ok = "\"AQEB\"";
        Assert.Contains("points count 2147483647 is out of range", Refused(Stored(Chart(int.MaxValue, ok, ok, ok))));
        Assert.Contains("points count -1 is out of range", Refused(Stored(Chart(-1, ok, ok, ok))));
        Assert.Contains("no points count", Refused(Stored("""{"stepSeconds":6,"power":[],"channels":[]}""")));
        Assert.Contains("stepSeconds must be", Refused(Stored("""{"stepSeconds":0,"points":0,"power":[],"channels":[]}""")));
        Assert.Contains("run past", Refused(Stored("""{"stepSeconds":100000,"points":60000,"power":[],"channels":[]}""")));
        Assert.Contains("seconds hold 2 bucket starts, not the 3", Refused(Stored(Chart(3, ok, ok, ok, "\"seconds\":[0,6],"))));
        Assert.Contains("encoding 'zstd' is not known", Refused(Stored(Chart(3, ok, ok, ok).Replace(ChartSeriesCodec.Name, "zstd"))));
        Assert.Contains("digits do not say", Refused(Stored(Chart(3, ok, ok, ok).Replace("\"tHb\":3", "\"other\":3"))));
        Assert.Contains("digits 12 is out of range", Refused(Stored(Chart(3, ok, ok, ok).Replace("\"tHb\":3", "\"tHb\":12"))));
        Assert.Contains("channels[0].tHb (ours:1) is missing", Refused(Stored(Chart(3, ok, ok, ok).Replace(",\"tHb\":\"AQEB\"", ""))));
        Assert.Contains("no chart", Refused("""{"schema":3,"metrics":[],"pairs":[]}"""u8.ToArray()));
    }

    [Fact]
    public void AHugePointsCountWithAShortStreamIsRefusedBeforeAnythingOfThatSizeIsAllocated()
    {
        var document = Stored(Chart(600_000, "\"AQEB\"", "\"AQEB\"", "\"AQEB\""));
        Refused(document); // warm the serializer's metadata
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("3 bytes cannot hold 600000 values", Refused(document));
        // 600,000 values would be 9.6 MB (and the bucket starts 2.4 MB); the refusal costs a few KB.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 200_000, "the reader allocated for the claimed points");
    }
}
