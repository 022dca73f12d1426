using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using NirsSync.Analysis;

namespace NirsSync.Data.Documents;

/// <summary>
/// The <c>chart</c> of a schema-3 ride document: a <see cref="RideChart"/> with each series in the compact form of
/// <see cref="ChartSeriesCodec"/> (base64), and the bucket starts left out when they are the regular axis.
/// </summary>
/// <remarks>
/// <code>
/// "chart": {"stepSeconds": 6, "points": 600, "encoding": "scaled-delta-zigzag-varint",
///           "digits": {"power": 2, "smO2": 2, "tHb": 3},
///           "power": "&lt;base64&gt;",
///           "channels": [{"channelId": "ours:1", "smO2": "&lt;base64&gt;", "tHb": "&lt;base64&gt;"}]}
/// </code>
/// <list type="bullet">
/// <item><c>points</c>: the number of buckets; the bucket starts are <c>b × stepSeconds</c> and are not stored,
/// unless they are not that axis, when they are written as the <c>seconds</c> array (of <c>points</c> numbers).</item>
/// <item><c>digits</c>: the decimal digits each kind of series is scaled by, the digits the downsampler rounds
/// to (<c>Downsampler.Means</c> in <c>RideAnalysis.Chart()</c>).</item>
/// <item>Each series is either a base64 string of exactly <c>points</c> values, or, when some value would not
/// come back bit-identical in that form (or the series' length is not <c>points</c>), a plain JSON array of numbers
/// and nulls as in schema 2 (taken as written, any length), or <c>null</c> for no series.</item>
/// </list>
/// Reading refuses, with a <see cref="JsonException"/> naming the series: an unknown encoding, damaged base64, a
/// stream that does not hold exactly <c>points</c> values, <c>points</c> beyond <see cref="MaxPoints"/>.
/// </remarks>
internal sealed class CompactChartConverter : JsonConverter<RideChart>
{
    /// <summary>The digits <c>RideAnalysis.Chart()</c> rounds power, SmO2 and tHb to.</summary>
    public const int PowerDigits = 2, SmO2Digits = 2, THbDigits = 3;

    /// <summary>
    /// Most buckets a stored chart may say it has: a thousand times <see cref="RideChart.MaxPoints"/> (about a week at one
    /// bucket per second), far above any chart the analysis makes, and a bound on what a damaged document can make
    /// the reader allocate.
    /// </summary>
    public const int MaxPoints = RideChart.MaxPoints * 1000;

    public override RideChart Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("the ride document's chart must be a JSON object");
        int? step = null, points = null;
        int[]? seconds = null;
        string? encoding = null;
        int? powerDigits = null, smO2Digits = null, tHbDigits = null;
        var power = Stored.Missing;
        List<(string Id, Stored SmO2, Stored THb)>? channels = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("stepSeconds"u8)) { reader.Read(); step = Int(ref reader, "stepSeconds"); }
            else if (reader.ValueTextEquals("points"u8)) { reader.Read(); points = Int(ref reader, "points"); }
            else if (reader.ValueTextEquals("encoding"u8)) { reader.Read(); encoding = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("the chart's encoding must be a string"); }
            else if (reader.ValueTextEquals("seconds"u8)) { reader.Read(); seconds = JsonSerializer.Deserialize<int[]>(ref reader, options); }
            else if (reader.ValueTextEquals("power"u8)) { reader.Read(); power = Series(ref reader, "power", options); }
            else if (reader.ValueTextEquals("digits"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("the chart's digits must be a JSON object");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("power"u8)) { reader.Read(); powerDigits = Int(ref reader, "digits.power"); }
                    else if (reader.ValueTextEquals("smO2"u8)) { reader.Read(); smO2Digits = Int(ref reader, "digits.smO2"); }
                    else if (reader.ValueTextEquals("tHb"u8)) { reader.Read(); tHbDigits = Int(ref reader, "digits.tHb"); }
                    else { reader.Read(); reader.Skip(); }
                }
            }
            else if (reader.ValueTextEquals("channels"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("the chart's channels must be a JSON array");
                channels = [];
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    var at = $"channels[{channels.Count}]";
                    string? id = null;
                    Stored smO2 = Stored.Missing, tHb = Stored.Missing;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("channelId"u8)) { reader.Read(); id = reader.TokenType is JsonTokenType.String or JsonTokenType.Null ? reader.GetString() : throw new JsonException($"chart {at}: channelId must be a string"); }
                        else if (reader.ValueTextEquals("smO2"u8)) { reader.Read(); smO2 = Series(ref reader, id is null ? $"{at}.smO2" : $"{at}.smO2 ({id})", options); }
                        else if (reader.ValueTextEquals("tHb"u8)) { reader.Read(); tHb = Series(ref reader, id is null ? $"{at}.tHb" : $"{at}.tHb ({id})", options); }
                        else { reader.Read(); reader.Skip(); }
                    }
                    channels.Add((id ?? throw new JsonException($"chart {at}: channelId is missing"), smO2, tHb));
                }
                if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("the chart's channels must hold JSON objects");
            }
            else { reader.Read(); reader.Skip(); }
        }

        if (step is not { } s || s < 1) throw new JsonException($"the chart's stepSeconds must be a whole number of seconds, at least 1 (it is {step?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"})");
        if (points is not { } n) throw new JsonException("the chart has no points count");
        if (n is < 0 or > MaxPoints) throw new JsonException($"the chart's points count {n} is out of range (0 to {MaxPoints})");
        if (seconds is null && n > 0 && (long)(n - 1) * s > int.MaxValue)
            throw new JsonException($"the chart's {n} points of {s} s run past {int.MaxValue} s");
        if (seconds is not null && seconds.Length != n)
            throw new JsonException($"the chart's seconds hold {seconds.Length} bucket starts, not the {n} its points count says");

        // The series first: each stream must hold its points before anything of that size is allocated.
        var context = new Context(n, encoding);
        var powerValues = context.Values(power, powerDigits, "power");
        var chart = new ChannelChart[channels?.Count ?? 0];
        for (var c = 0; c < chart.Length; c++)
        {
            var (id, smO2, tHb) = channels![c];
            chart[c] = new ChannelChart(id, context.Values(smO2, smO2Digits, $"channels[{c}].smO2 ({id})"),
                context.Values(tHb, tHbDigits, $"channels[{c}].tHb ({id})"));
        }
        if (seconds is null)
        {
            seconds = new int[n];
            for (var b = 0; b < n; b++) seconds[b] = b * s;
        }
        return new RideChart(s, seconds, powerValues, chart);
    }

    public override void Write(Utf8JsonWriter writer, RideChart value, JsonSerializerOptions options)
    {
        var seconds = value.Seconds ?? [];
        var points = seconds.Length;
        if (points > MaxPoints)
            throw new ArgumentException($"a chart of {points} points is more than a ride document holds ({MaxPoints})", nameof(value));
        writer.WriteStartObject();
        writer.WriteNumber("stepSeconds"u8, value.StepSeconds);
        writer.WriteNumber("points"u8, points);
        if (!IsRegularAxis(seconds, value.StepSeconds))
        {
            writer.WritePropertyName("seconds"u8);
            JsonSerializer.Serialize(writer, seconds, options);
        }
        writer.WriteString("encoding"u8, ChartSeriesCodec.Name);
        writer.WriteStartObject("digits"u8);
        writer.WriteNumber("power"u8, PowerDigits);
        writer.WriteNumber("smO2"u8, SmO2Digits);
        writer.WriteNumber("tHb"u8, THbDigits);
        writer.WriteEndObject();
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, ChartSeriesCodec.MaxEncodedLength(points)));
        try
        {
            WriteSeries(writer, "power"u8, value.Power, PowerDigits, points, buffer, options);
            writer.WriteStartArray("channels"u8);
            foreach (var channel in value.Channels ?? [])
            {
                writer.WriteStartObject();
                writer.WriteString("channelId"u8, channel.ChannelId);
                WriteSeries(writer, "smO2"u8, channel.SmO2, SmO2Digits, points, buffer, options);
                WriteSeries(writer, "tHb"u8, channel.THb, THbDigits, points, buffer, options);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes one series in the compact form, or as a JSON array when that form would not give it back exactly.</summary>
    private static void WriteSeries(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double?[]? values, int digits, int points, byte[] buffer,
        JsonSerializerOptions options)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }
        var length = values.Length == points ? ChartSeriesCodec.TryEncode(values, digits, buffer) : -1;
        if (length >= 0)
        {
            writer.WriteBase64String(name, buffer.AsSpan(0, length));
            return;
        }
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, values, options);
    }

    private static bool IsRegularAxis(int[] seconds, int step)
    {
        for (var b = 0; b < seconds.Length; b++)
            if (seconds[b] != (long)b * step) return false;
        return true;
    }

    private static int Int(ref Utf8JsonReader reader, string key) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v
            : throw new JsonException($"the chart's {key} must be a whole number");

    /// <summary>One series as found in the document, before the points count is known to decode it.</summary>
    private readonly record struct Stored(bool Present, byte[]? Encoded, double?[]? Values)
    {
        public static readonly Stored Missing = new(false, null, null);
    }

    private static Stored Series(ref Utf8JsonReader reader, string series, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (!reader.TryGetBytesFromBase64(out var bytes))
                    throw new JsonException($"chart series {series}: the string is not valid base64");
                return new Stored(true, bytes, null);
            case JsonTokenType.StartArray:
                return new Stored(true, null, JsonSerializer.Deserialize<double?[]>(ref reader, options));
            case JsonTokenType.Null:
                return new Stored(true, null, null);
            default:
                throw new JsonException($"chart series {series}: expected a base64 string, an array of numbers or null, found {reader.TokenType}");
        }
    }

    private readonly struct Context(int points, string? encoding)
    {
        /// <summary>
        /// The values of one series. A JSON null stays null, as the schema-2 reader gives it (the analysis never
        /// makes one; the writer writes what it is given).
        /// </summary>
        public double?[] Values(Stored stored, int? digits, string series)
        {
            if (!stored.Present) throw new JsonException($"chart series {series} is missing");
            if (stored.Encoded is not { } bytes) return stored.Values!; // an array as written, or null
            if (encoding != ChartSeriesCodec.Name)
                throw new JsonException($"chart series {series}: the chart's encoding '{encoding ?? "(none)"}' is not known (this server reads '{ChartSeriesCodec.Name}')");
            if (digits is not { } d)
                throw new JsonException($"chart series {series}: the chart's digits do not say how this series is scaled");
            return ChartSeriesCodec.Decode(bytes, d, points, series);
        }
    }
}
