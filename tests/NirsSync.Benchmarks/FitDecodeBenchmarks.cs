using BenchmarkDotNet.Attributes;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Benchmarks;

/// <summary>
/// Decode throughput of the message API and the columnar path on the corpus and on a generated
/// 4-hour 1 Hz ride with two muscle-oxygen sensors. Bytes per operation are reported so MB/s =
/// bytes / mean time. (fit-file-parser runs side by side in <c>nirssync bench decode</c>.)
/// </summary>
[MemoryDiagnoser]
public class FitDecodeBenchmarks
{
    private List<byte[]> _inputs = [];

    [Params("corpus", "ride-4h")]
    public string Data { get; set; } = "corpus";

    [GlobalSetup]
    public void Setup()
    {
        _inputs = Data == "corpus"
            ? Corpus.SoundFiles()
            : [SyntheticRide.Generate(new SyntheticRideOptions { Duration = TimeSpan.FromHours(4) })];
        Console.WriteLine($"// {Data}: {_inputs.Sum(b => b.Length)} bytes per operation");
    }

    [Benchmark(Baseline = true)]
    public int MessageApi()
    {
        var n = 0;
        foreach (var b in _inputs) n += FitDecoder.Decode(b).Messages.Count;
        return n;
    }

    [Benchmark]
    public int Columnar()
    {
        var n = 0;
        foreach (var b in _inputs) n += FitColumnarReader.Read(b).Records.Count;
        return n;
    }
}

internal static class Corpus
{
    public static List<byte[]> SoundFiles()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NirsSync.sln"))) dir = dir.Parent;
        var corpus = Path.Combine(dir?.FullName ?? Directory.GetCurrentDirectory(), "..", "shared", "fit-corpus");
        return Directory.EnumerateFiles(corpus, "*.fit", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).Where(b =>
            {
                try { return FitDecoder.Decode(b).Damage is null; }
                catch (FitFormatException) { return false; }
            }).ToList();
    }
}
