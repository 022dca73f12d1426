using System.Text.Json;
using NirsSync.Analysis;

namespace NirsSync.Data.Documents;

/// <summary>
/// The stored analysis of one ride (<c>Ride.Document</c>, UTF-8 JSON): the per-channel metrics (each
/// with its channel's identity), the pairs and the chart series, as the analysis types. Written and read
/// only by <see cref="RideDocuments"/>.
/// </summary>
public sealed record RideDocument(int Schema, IReadOnlyList<ChannelMetrics> Metrics, IReadOnlyList<PairMetrics> Pairs, RideChart Chart)
{
    /// <summary>The channels of the ride, in the order of <see cref="Metrics"/> (not stored: each metric holds its channel).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<ChannelInfo> Channels => Metrics.Select(m => m.Channel);
}

/// <summary>
/// The one component that writes and reads the stored analysis documents: a ride's
/// <see cref="RideDocument"/> and summary values, an athlete's weekly trends. Every document carries a
/// schema version; documents written by the previous version are upgraded when read.
/// </summary>
/// <remarks>
/// Schema 1 (before 2026-12): four JSON columns per ride (<c>ChannelsJson</c>, <c>MetricsJson</c>,
/// <c>PairsJson</c>, <c>SeriesJson</c> with a display label per channel), gathered by the migration
/// <c>RideAnalysisDocument</c> into <c>{"schema":1,"metrics":..,"pairs":..,"series":..}</c>; read here as the
/// current schema. Schema 2: <see cref="RideDocument"/> as plain JSON, the chart without labels or muscle names
/// (both follow from the metrics' channels) and with every bucket start and value as JSON numbers; read as
/// the current schema. Schema 3 (written now): as schema 2, but the chart in the compact form of
/// <see cref="CompactChartConverter"/>: no bucket starts (they are b × step), each series a base64 string of
/// scaled integers, delta and zig-zag varint coded (<see cref="ChartSeriesCodec"/>), read back bit-identical;
/// a series that form would not give back exactly stays a JSON array. No migration: rows keep the schema
/// they were written with.
/// </remarks>
public static class RideDocuments
{
    public const int RideSchema = 3;

    /// <summary>The ride document of an analysis, to store.</summary>
    public static RideDocument Of(RideAnalysis analysis) =>
        new(RideSchema, analysis.Channels, analysis.Pairs, analysis.Chart());

    /// <summary>The oldest schema this version can still write (for a rolling upgrade: see <c>NirsOptions.RideDocumentSchema</c>).</summary>
    public const int OldestWritableSchema = 2;

    /// <summary>
    /// The document to store, in the current schema (whatever <see cref="RideDocument.Schema"/> it came with), or in
    /// schema 2 when asked: nodes of the previous version read only schemas 1 and 2, so during a rolling upgrade the
    /// new nodes write what every node reads.
    /// </summary>
    public static byte[] Write(RideDocument document, int schema = RideSchema)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Chart is null) throw new ArgumentException("a ride document needs its chart (the reader refuses one without)", nameof(document));
        return schema switch
        {
            RideSchema => JsonSerializer.SerializeToUtf8Bytes(new StoredRide(RideSchema, document.Metrics, document.Pairs, document.Chart), AnalysisJson.Options),
            2 => JsonSerializer.SerializeToUtf8Bytes(document with { Schema = 2 }, AnalysisJson.Options),
            _ => throw new ArgumentOutOfRangeException(nameof(schema), schema, $"ride documents are written in schema {OldestWritableSchema} or {RideSchema}"),
        };
    }

    /// <summary>Reads a stored ride document of any known schema.</summary>
    public static RideDocument Read(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        var schema = SchemaOf(utf8);
        return schema switch
        {
            RideSchema => FromStored(JsonSerializer.Deserialize<StoredRide>(utf8, AnalysisJson.Options)
                ?? throw new JsonException("the ride document is null")),
            2 => (JsonSerializer.Deserialize<RideDocument>(utf8, AnalysisJson.Options)
                ?? throw new JsonException("the ride document is null")) with { Schema = RideSchema },
            1 => FromSchema1(JsonSerializer.Deserialize<RideDocumentV1>(utf8, AnalysisJson.Options)
                ?? throw new JsonException("the ride document is null")),
            _ => throw new JsonException($"ride document schema {schema} is not known (this server reads 1 to {RideSchema})"),
        };
    }

    /// <summary>The summary values the weekly trends need (a JSON array, unchanged since schema 1).</summary>
    public static string WriteSummary(IReadOnlyList<MetricValue> values) => JsonSerializer.Serialize(values, AnalysisJson.Options);

    public static IReadOnlyList<MetricValue> ReadSummary(string json) =>
        JsonSerializer.Deserialize<List<MetricValue>>(json, AnalysisJson.Options) ?? [];

    /// <summary>An athlete's weekly trends as stored in <c>Athlete.TrendsJson</c>, with the schema version.</summary>
    public static string WriteTrends(AthleteTrends trends) => JsonSerializer.Serialize(
        new StoredTrends(TrendSchema, trends.TimeZone, trends.Rides, trends.Muscles, trends.Pairs)
        {
            FamilySize = trends.FamilySize, FamilyZ = trends.FamilyZ, StateFamilySize = trends.StateFamilySize, StateZ = trends.StateZ,
        }, AnalysisJson.Options);

    public const int TrendSchema = 2;

    /// <summary>
    /// Reads stored trends; null for none. Schema 1 (no "schema" key) had the same fields as schema 2.
    /// </summary>
    public static AthleteTrends? ReadTrends(string? json)
    {
        if (json is null) return null;
        var stored = JsonSerializer.Deserialize<StoredTrends>(json, AnalysisJson.Options) ?? throw new JsonException("the trend document is null");
        if (stored.Schema is not (null or 1 or TrendSchema))
            throw new JsonException($"trend document schema {stored.Schema} is not known (this server reads 1 and {TrendSchema})");
        return new AthleteTrends(stored.TimeZone ?? "UTC", stored.Rides, stored.Muscles ?? [], stored.Pairs ?? [])
        {
            FamilySize = stored.FamilySize, FamilyZ = stored.FamilyZ, StateFamilySize = stored.StateFamilySize, StateZ = stored.StateZ,
        };
    }

    /// <summary>The series as the API shows it: the chart with each channel's muscle, side and display label.</summary>
    public static RideSeries SeriesView(RideDocument document)
    {
        var channels = document.Metrics.ToDictionary(m => m.Channel.Id, m => m.Channel);
        return new RideSeries(document.Chart.StepSeconds, document.Chart.Seconds, document.Chart.Power,
            document.Chart.Channels.Select(c => channels.TryGetValue(c.ChannelId, out var info)
                ? new ChannelSeries(c.ChannelId, Muscles.Name(info.Muscle), Muscles.Name(info.Side), ChannelLabels.Of(info), c.SmO2, c.THb)
                : new ChannelSeries(c.ChannelId, Muscles.Name(Muscle.Unknown), Muscles.Name(Side.Unknown), c.ChannelId, c.SmO2, c.THb))
                .ToList());
    }

    private static int SchemaOf(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("a stored ride document must be a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("schema"u8))
            {
                reader.Read();
                return reader.GetInt32();
            }
            reader.Read();
            reader.Skip();
        }
        throw new JsonException("the stored ride document has no schema version");
    }

    private static RideDocument FromSchema1(RideDocumentV1 v1)
    {
        var s = v1.Series;
        var chart = s is null
            ? new RideChart(1, [], [], [])
            : new RideChart(s.StepSeconds, s.Seconds ?? [], s.Power ?? [],
                (s.Channels ?? []).Select(c => new ChannelChart(c.Key, c.Smo2 ?? [], c.Thb ?? [])).ToList());
        return new RideDocument(RideSchema, v1.Metrics ?? [], v1.Pairs ?? [], chart);
    }

    private static RideDocument FromStored(StoredRide stored) => new(RideSchema, stored.Metrics ?? [], stored.Pairs ?? [],
        stored.Chart ?? throw new JsonException("the ride document has no chart"));

    /// <summary>Schema 3 as stored: <see cref="RideDocument"/> with the chart in its compact form.</summary>
    private sealed record StoredRide(int Schema, IReadOnlyList<ChannelMetrics>? Metrics, IReadOnlyList<PairMetrics>? Pairs,
        [property: System.Text.Json.Serialization.JsonConverter(typeof(CompactChartConverter))] RideChart? Chart);

    private sealed record RideDocumentV1(int Schema, List<ChannelMetrics>? Metrics, List<PairMetrics>? Pairs, SeriesV1? Series);

    private sealed record SeriesV1(int StepSeconds, int[]? Seconds, double?[]? Power, List<ChannelSeriesV1>? Channels);

    private sealed record ChannelSeriesV1(string Key, string? Muscle, string? Side, string? Label, double?[]? Smo2, double?[]? Thb);

    private sealed record StoredTrends(int? Schema, string? TimeZone, int Rides, IReadOnlyList<MetricTrend>? Muscles, IReadOnlyList<MetricTrend>? Pairs)
    {
        public int FamilySize { get; init; }
        public double? FamilyZ { get; init; }
        public int StateFamilySize { get; init; }
        public double? StateZ { get; init; }
    }
}

/// <summary>How a channel is named on a page and in the API's series: "vastus lateralis (left)" when the muscle is known, else the channel's own label.</summary>
public static class ChannelLabels
{
    public static string Of(ChannelInfo c) => c.Muscle != Muscle.Unknown
        ? $"{Muscles.Name(c.Muscle).Replace('_', ' ')}{(c.Side == Side.Unknown ? "" : $" ({Muscles.Name(c.Side)})")}"
        : c.Label;
}

/// <summary>One channel of <see cref="RideSeries"/>: the API's form, with muscle, side and label.</summary>
public sealed record ChannelSeries(string Key, string Muscle, string Side, string Label, double?[] Smo2, double?[] Thb);

/// <summary>A ride's downsampled series as the API serves it: bucket starts in seconds from the ride start, power and every channel.</summary>
public sealed record RideSeries(int StepSeconds, int[] Seconds, double?[] Power, IReadOnlyList<ChannelSeries> Channels);
