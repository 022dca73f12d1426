using System.CommandLine;

namespace NirsSync.Cli;

/// <summary><c>nirssync bench ...</c>: quick throughput measurements (BenchmarkDotNet lives in tests/NirsSync.Benchmarks).</summary>
internal static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure throughput on this machine");
        foreach (var sub in Subcommands()) bench.Subcommands.Add(sub);
        return bench;
    }

    // One line per benchmark feature; each lives in its own file.
    private static IEnumerable<Command> Subcommands()
    {
        yield return BenchDecode.Create();
        yield return BenchMemory.Create();
        yield return BenchFuzz.Create();
        yield return AnalysisBench.Create();
        yield return Upload.UploadBench.Create();
        yield return ExportBench.Create();
        yield return OverviewBench.Create();
    }
}
