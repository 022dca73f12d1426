using System.Text.Json;
using Microsoft.Data.Sqlite;
using NirsSync.Analysis;
using NirsSync.Data.Documents;
using NirsSync.Fit;

namespace NirsSync.Server.Tests;

/// <summary>The stored analysis documents: typed, versioned, and documents of the previous version read back.</summary>
public sealed class StoredDocumentTests
{
    private static RideAnalysis Analyse() =>
        RideAnalyzer.Analyze(FitColumnarReader.Read(Rides.Synthetic(seed: 9, minutes: 20), FitDecodeOptions.Lenient));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, AnalysisJson.Options);

    [Fact]
    public void RideDocumentRoundTripsWithItsSchemaVersion()
    {
        var analysis = Analyse();
        var document = RideDocuments.Of(analysis);
        var bytes = RideDocuments.Write(document);
        using (var json = JsonDocument.Parse(bytes))
        {
            Assert.Equal(RideDocuments.RideSchema, json.RootElement.GetProperty("schema").GetInt32());
            // No display label and no second copy of the channels in the stored chart.
            Assert.False(json.RootElement.GetProperty("chart").GetProperty("channels")[0].TryGetProperty("label", out _));
            Assert.False(json.RootElement.TryGetProperty("channels", out _));
        }
        var read = RideDocuments.Read(bytes);
        Assert.Equal(Json(document), Json(read));
        Assert.Equal(2, read.Metrics.Count);
        Assert.Equal(analysis.Chart().Seconds, read.Chart.Seconds);
    }

    [Fact]
    public void SchemaOneDocumentGatheredByTheMigrationReadsAsTheSameRide()
    {
        var analysis = Analyse();
        var current = RideDocuments.Of(analysis);
        // The previous version's four columns, as it wrote them.
        var metricsJson = Json(analysis.Channels);
        var pairsJson = Json(analysis.Pairs);
        var seriesJson = Json(RideDocuments.SeriesView(current));
        Assert.Contains("\"label\":\"vastus lateralis (left)\"", seriesJson);
        // The migration's SQL, run by SQLite on those columns.
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT CAST(json_object('schema', 1, 'metrics', json($m), 'pairs', json($p), 'series', json($s)) AS BLOB)
            """;
        command.Parameters.AddWithValue("$m", metricsJson);
        command.Parameters.AddWithValue("$p", pairsJson);
        command.Parameters.AddWithValue("$s", seriesJson);
        var v1 = (byte[])command.ExecuteScalar()!;

        var read = RideDocuments.Read(v1);
        Assert.Equal(RideDocuments.RideSchema, read.Schema);
        Assert.Equal(Json(current), Json(read));
        Assert.Equal(seriesJson, Json(RideDocuments.SeriesView(read)));
    }

    [Fact]
    public void UnknownSchemaOrAMissingVersionIsRefusedNamingIt()
    {
        var e = Assert.Throws<JsonException>(() => RideDocuments.Read("""{"schema":7,"metrics":[]}"""u8.ToArray()));
        Assert.Contains("schema 7", e.Message);
        Assert.Contains("no schema version", Assert.Throws<JsonException>(() => RideDocuments.Read("""{"metrics":[]}"""u8.ToArray())).Message);
        Assert.Contains("JSON object", Assert.Throws<JsonException>(() => RideDocuments.Read("[]"u8.ToArray())).Message);
    }

    [Fact]
    public void TrendDocumentsOfBothSchemasReadToTheSameTrends()
    {
        var analysis = Analyse();
        var trends = WeeklyTrends.Compute([RideSummary.From("r1", analysis)], TimeZoneInfo.Utc);
        var stored = RideDocuments.WriteTrends(trends);
        Assert.StartsWith("{\"schema\":2,", stored);
        var previous = Json(trends); // schema 1: the trends without a version
        Assert.Equal(Json(trends), Json(RideDocuments.ReadTrends(stored)));
        Assert.Equal(Json(trends), Json(RideDocuments.ReadTrends(previous)));
        Assert.Null(RideDocuments.ReadTrends(null));
        Assert.Contains("schema 9", Assert.Throws<JsonException>(() => RideDocuments.ReadTrends("""{"schema":9,"rides":0}""")).Message);
    }
}
