using System.Text.Json;
using BenchmarkDotNet.Attributes;
using NirsSync.Analysis;
using NirsSync.Data.Documents;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Benchmarks;

/// <summary>
/// Writing and reading back the stored document of a generated one-hour ride with two muscle-oxygen sensors
/// (600 chart buckets): schema 2 (the previous version's writer, the chart as JSON numbers) against schema 3
/// (the chart's series as base64 varints). The document sizes are printed at setup.
/// Run: <c>dotnet run -c Release --project tests/NirsSync.Benchmarks -- --filter '*RideDocumentBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class RideDocumentBenchmarks
{
    private RideDocument _document = null!;
    private byte[] _schema2 = [];
    private byte[] _schema3 = [];

    [GlobalSetup]
    public void Setup()
    {
        var fit = SyntheticRide.Generate(new SyntheticRideOptions { Seed = 1, Duration = TimeSpan.FromHours(1) });
        _document = RideDocuments.Of(RideAnalyzer.Analyze(FitColumnarReader.Read(fit, FitDecodeOptions.Lenient)));
        _schema2 = WriteSchema2();
        _schema3 = WriteSchema3();
        var chart2 = JsonSerializer.SerializeToUtf8Bytes(_document.Chart, AnalysisJson.Options).Length;
        using var stored = JsonDocument.Parse(_schema3);
        var chart3 = stored.RootElement.GetProperty("chart").GetRawText().Length;
        Console.WriteLine($"// fit {fit.Length} bytes; document schema 2 {_schema2.Length} bytes (chart {chart2}), schema 3 {_schema3.Length} bytes (chart {chart3})");
    }

    /// <summary>The previous version's <c>RideDocuments.Write</c>: the record as plain JSON.</summary>
    [Benchmark(Baseline = true)]
    public byte[] WriteSchema2() => JsonSerializer.SerializeToUtf8Bytes(_document with { Schema = 2 }, AnalysisJson.Options);

    [Benchmark]
    public byte[] WriteSchema3() => RideDocuments.Write(_document);

    /// <summary>A stored schema-2 document read (and upgraded) by today's reader: the previous version's read plus a record copy.</summary>
    [Benchmark]
    public RideDocument ReadSchema2() => RideDocuments.Read(_schema2);

    [Benchmark]
    public RideDocument ReadSchema3() => RideDocuments.Read(_schema3);
}
