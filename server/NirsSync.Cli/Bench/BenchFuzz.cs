using System.CommandLine;
using System.Diagnostics;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync bench fuzz --files N</c>: the long run of issue 12. Mutates the corpus files and the hostile
/// shapes N times (bytes flipped, ranges cut, repeated or inserted, sizes in headers and definitions
/// changed), decodes and analyses each as <c>nirssync inspect</c> does, and checks that every one ends in a
/// result or a <see cref="FitFormatException"/>, within 100 MB + 20 x its size allocated. Exit code 1 on any
/// other exception or any file over the bound (the first few are saved to <c>--failures DIR</c>).
/// </summary>
internal static class BenchFuzz
{
    public static Command Create()
    {
        var files = new Option<long>("--files") { Description = "Mutated files to try", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed (the run is reproducible)", DefaultValueFactory = _ => 12 };
        var corpus = new Option<DirectoryInfo?>("--corpus") { Description = "Seed FIT files (default ../shared/fit-corpus)" };
        var failures = new Option<DirectoryInfo?>("--failures") { Description = "Save failing inputs here" };
        var command = new Command("fuzz", "Mutate FIT files N times; each must decode or be refused within 100 MB + 20 x its size")
        {
            files, seed, corpus, failures,
        };
        command.SetAction(r => Run(r.GetValue(files), r.GetValue(seed), r.GetValue(corpus), r.GetValue(failures), Console.Out));
        return command;
    }

    internal static int Run(long count, int seed, DirectoryInfo? corpus, DirectoryInfo? failures, TextWriter output)
    {
        var seeds = Seeds(corpus);
        if (seeds.Count == 0)
        {
            output.WriteLine("nirssync: no seed files (give --corpus DIR)");
            return 2;
        }
        var random = new Random(seed);
        var watch = Stopwatch.StartNew();
        long decoded = 0, damaged = 0, refused = 0, limits = 0, bytes = 0, over = 0, crashed = 0;
        double worstRatio = 0;
        long worstSize = 0, worstAllocated = 0;
        output.WriteLine($"nirssync bench fuzz — {count:N0} files from {seeds.Count} seeds, seed {seed}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        for (long i = 0; i < count; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Count)], random);
            bytes += input.Length;
            long allocated;
            string outcome;
            try
            {
                (allocated, outcome) = BenchMemory.Probe(input);
            }
            catch (Exception e)
            {
                crashed++;
                Save(failures, $"crash-{i}", input, e.ToString(), output);
                continue;
            }
            if (outcome.StartsWith("refused: LimitExceeded", StringComparison.Ordinal)) limits++;
            else if (outcome.StartsWith("refused", StringComparison.Ordinal)) refused++;
            else if (outcome.Contains("damage", StringComparison.Ordinal)) damaged++;
            else decoded++;
            var bound = BenchMemory.Bound(input.Length);
            var ratio = (double)allocated / bound;
            if (ratio > worstRatio) (worstRatio, worstSize, worstAllocated) = (ratio, input.Length, allocated);
            if (allocated > bound)
            {
                over++;
                Save(failures, $"over-{i}", input, $"{allocated} bytes allocated, bound {bound}", output);
            }
            if ((i + 1) % 10_000 == 0)
                output.WriteLine($"  {i + 1,12:N0} files, {watch.Elapsed:hh\\:mm\\:ss}, worst {worstAllocated / 1e6:F1} MB for {worstSize / 1e6:F2} MB ({worstRatio:P1} of the bound), over {over}, crashed {crashed}");
        }
        output.WriteLine($"files {count:N0} ({bytes / 1e9:F2} GB) in {watch.Elapsed:hh\\:mm\\:ss}: decoded {decoded:N0}, damaged but read {damaged:N0}, " +
            $"refused {refused:N0}, limit exceeded {limits:N0}, over the bound {over}, other exceptions {crashed}");
        output.WriteLine($"largest share of the bound: {worstAllocated / 1e6:F1} MB allocated for {worstSize / 1e6:F2} MB ({worstRatio:P1})");
        return over == 0 && crashed == 0 ? 0 : 1;
    }

    private static List<byte[]> Seeds(DirectoryInfo? corpus)
    {
        var folder = corpus?.FullName ?? BenchDecode.FindUp(Path.Combine("..", "shared", "fit-corpus"));
        var seeds = folder is null ? [] : Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".fit", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).ToList();
        foreach (var shape in Enum.GetValues<HostileShape>()) seeds.Add(HostileFit.Generate(shape, 200_000));
        return seeds;
    }

    /// <summary>One to four mutations of a copy of <paramref name="source"/>.</summary>
    internal static byte[] Mutate(byte[] source, Random random)
    {
        var data = new List<byte>(source);
        var steps = 1 + random.Next(4);
        for (var s = 0; s < steps && data.Count > 0; s++)
        {
            var at = random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0: // flip bits
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // a random byte
                    data[at] = (byte)random.Next(256);
                    break;
                case 2: // an interesting byte (sizes, counts, invalid markers, definition headers)
                    data[at] = new byte[] { 0, 1, 0x40, 0x60, 0x7F, 0x80, 0xFE, 0xFF }[random.Next(8)];
                    break;
                case 3: // cut a range
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(64)));
                    break;
                case 4: // repeat a range (more messages, chained files)
                {
                    var length = Math.Min(data.Count - at, 1 + random.Next(4096));
                    var copies = 1 + random.Next(8);
                    var chunk = data.GetRange(at, length);
                    for (var c = 0; c < copies; c++) data.InsertRange(at, chunk);
                    break;
                }
                case 5: // the header's data size
                    if (data.Count >= 8)
                    {
                        var size = random.Next(3) switch { 0 => 0u, 1 => uint.MaxValue, _ => (uint)random.Next() };
                        for (var b = 0; b < 4; b++) data[4 + b] = (byte)(size >> (8 * b));
                    }
                    break;
                default: // truncate
                    data.RemoveRange(at, data.Count - at);
                    break;
            }
        }
        return [.. data];
    }

    private static int _saved;

    private static void Save(DirectoryInfo? folder, string name, byte[] input, string why, TextWriter output)
    {
        output.WriteLine($"  {name}: {why.Split('\n')[0]}");
        if (folder is null || _saved++ >= 20) return;
        folder.Create();
        File.WriteAllBytes(Path.Combine(folder.FullName, name + ".fit"), input);
        File.WriteAllText(Path.Combine(folder.FullName, name + ".txt"), why);
    }
}
