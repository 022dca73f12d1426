using BenchmarkDotNet.Attributes;
using NirsSync.Analysis;

namespace NirsSync.Benchmarks;

/// <summary>
/// Per-ride analysis throughput on generated one-hour 1 Hz rides (a sample is one row of one channel):
/// one ride at a time, a batch across cores, and weekly trends over three years of rides.
/// Run: <c>dotnet run -c Release --project tests/NirsSync.Benchmarks -- --filter '*AnalysisBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class AnalysisBenchmarks
{
    private static readonly DateTimeOffset Start = new(2023, 11, 27, 7, 0, 0, TimeSpan.Zero);
    private readonly AnalysisOptions _metricsOnly = new() { KeepSeries = false };
    private RideFrame[] _rides = [];
    private RideSummary[] _threeYears = [];
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    /// <summary>Rides in the batch benchmark (10,000 in the issue; the default keeps a run short).</summary>
    [Params(1000)]
    public int Rides { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rides = new RideFrame[Rides];
        Parallel.For(0, Rides, i => _rides[i] = SyntheticRides.Generate(i, 3600,
            SyntheticRides.PartnerSensors(new Random(i), 2 + i % 3), Start.AddHours(i * 37)));
        var summaries = _rides.Take(100).Select((r, i) => RideSummary.From($"r{i}", RideAnalyzer.Analyze(r))).ToArray();
        _threeYears = Enumerable.Range(0, 156 * 5)
            .Select(i => summaries[i % summaries.Length] with { RideId = $"y{i}", Start = Start.AddDays(i * 7 / 5.0) }).ToArray();
        _zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    }

    /// <summary>One three-channel hour: 10,800 samples per operation.</summary>
    [Benchmark]
    public RideAnalysis OneRide() => RideAnalyzer.Analyze(_rides[1], null, _metricsOnly);

    /// <summary>The whole batch across all cores.</summary>
    [Benchmark]
    public RideAnalysis[] Batch() => RideAnalyzer.AnalyzeBatch(_rides, (SensorMap?)null, _metricsOnly);

    /// <summary>Weekly trends recomputed from scratch for three years of rides (780 rides).</summary>
    [Benchmark]
    public AthleteTrends WeeklyRecompute() => WeeklyTrends.Compute(_threeYears, _zone);

    /// <summary>Channel discovery alone on one ride.</summary>
    [Benchmark]
    public IReadOnlyList<MuscleChannel> Discovery() => ChannelDiscovery.Discover(_rides[1]);
}
