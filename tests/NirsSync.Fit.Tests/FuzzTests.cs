using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace NirsSync.Fit.Tests;

/// <summary>
/// Robustness: on mutated corpus files only <see cref="FitFormatException"/> ever escapes, no decode
/// hangs, and memory stays proportional to the input. The test run does a bounded number of cases;
/// a long run: <c>NIRSSYNC_FUZZ_CASES=1000000 NIRSSYNC_FUZZ_SEED=42 dotnet test tests/NirsSync.Fit.Tests -c Release --filter FullyQualifiedName~FuzzTests</c>.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("NIRSSYNC_FUZZ_CASES"), out var n) ? n : 3000;
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("NIRSSYNC_FUZZ_SEED"), out var s) ? s : 20261124;

    // Each input byte may become at most one small message object plus its fields; real files stay near 10x.
    private const long BytesPerInputByte = 100;
    private const long FixedOverhead = 2 << 20;

    [Fact]
    public async Task MutatedFilesRaiseOnlyTheFormatExceptionWithinBoundedTimeAndMemory()
    {
        var seeds = Repo.CorpusFiles.Select(f => File.ReadAllBytes(Repo.CorpusFile(f))).Where(b => b.Length < 200_000).ToList();
        var fuzzer = new Fuzzer(seeds, Seed);
        var failures = new List<string>();
        var formatErrors = new StrongBox<int>();
        for (var i = 0; i < Cases && failures.Count < 5; i++)
        {
            var (mutation, input) = fuzzer.Next();
            string? failure;
            try
            {
                failure = await Task.Run(() => Exercise(input, formatErrors)).WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                failures.Add($"case {i} (seed {Seed}, {mutation}): no result after 30 s");
                break;
            }
            if (failure is not null) failures.Add($"case {i} (seed {Seed}, {mutation}): {failure}");
        }
        output.WriteLine($"{Cases} cases, {formatErrors.Value} format errors raised, seed {Seed}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(formatErrors.Value > 0, "the mutations never produced damage: the fuzzer is not exercising the error paths");
    }

    private static string? Exercise(byte[] input, StrongBox<int> formatErrors)
    {
        foreach (var lenient in new[] { false, true })
        {
            var options = lenient ? FitDecodeOptions.Lenient : FitDecodeOptions.Strict;
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var fit = FitDecoder.Decode(input, options);
                _ = FitColumnarReader.Read(input, options);
                if (lenient && fit.Damage is null && fit.Parts.Any(p => !p.CrcOk)) return "CRC mismatch without damage";
            }
            catch (FitFormatException e)
            {
                if (lenient) return $"lenient mode threw {e.Message}";
                if (e.Offset < 0 || e.Offset > input.Length) return $"offset {e.Offset} outside the input of {input.Length} bytes";
                Interlocked.Increment(ref formatErrors.Value);
            }
            catch (Exception e)
            {
                return $"{(lenient ? "lenient" : "strict")} decode threw {e.GetType().Name}: {e.Message}";
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > BytesPerInputByte * 2 * input.Length + FixedOverhead)
                return $"{allocated} bytes allocated for {input.Length} input bytes";
        }
        return null;
    }
}
