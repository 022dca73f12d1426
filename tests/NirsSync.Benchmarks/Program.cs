using BenchmarkDotNet.Running;

namespace NirsSync.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: <c>dotnet run -c Release --project tests/NirsSync.Benchmarks -- --filter '*'</c>.
/// Every benchmark class in this assembly is listed by the switcher.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
