using System.CommandLine;
using System.Diagnostics;
using NirsSync.Analysis;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync bench memory</c>: what decoding and analysing (as <c>nirssync inspect</c> does) allocates for
/// each hostile shape of issue 12, against the bound 100 MB + 20 x the file size. <c>--out DIR</c> also
/// writes the files, for measuring a real run's peak (<c>/usr/bin/time -v nirssync inspect FILE</c>).
/// </summary>
internal static class BenchMemory
{
    /// <summary>The bound of issue 12 for any input up to 64 MiB: 100 MB + 20 x the file size.</summary>
    public static long Bound(long fileSize) => 100_000_000 + 20 * fileSize;

    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "Also write the generated files to this folder" };
        var sizes = new Option<double[]>("--mb")
        {
            Description = "File sizes in MB (default 0.5 1 5 10)", AllowMultipleArgumentsPerToken = true,
        };
        var shapes = new Option<HostileShape[]>("--shape") { Description = "Shapes to run (default: all)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("memory", "Bytes allocated decoding and analysing hostile FIT shapes, against 100 MB + 20 x size")
        {
            output, sizes, shapes,
        };
        command.SetAction(r => Run(r.GetValue(output), r.GetValue(sizes) is { Length: > 0 } s ? s : [0.5, 1, 5, 10],
            r.GetValue(shapes) is { Length: > 0 } h ? h : Enum.GetValues<HostileShape>(), Console.Out));
        return command;
    }

    internal static int Run(DirectoryInfo? folder, double[] sizesMb, HostileShape[] shapes, TextWriter output)
    {
        output.WriteLine($"nirssync bench memory — {Environment.MachineName}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        output.WriteLine("shape                 size MB  allocated MB  bound MB  outcome");
        var over = 0;
        foreach (var shape in shapes)
            foreach (var mb in sizesMb)
            {
                var bytes = HostileFit.Generate(shape, (int)(mb * 1_000_000));
                if (folder is not null)
                {
                    folder.Create();
                    File.WriteAllBytes(Path.Combine(folder.FullName, $"{shape}-{mb}MB.fit"), bytes);
                }
                var (allocated, outcome) = Probe(bytes);
                var bound = Bound(bytes.Length);
                if (allocated > bound) over++;
                output.WriteLine($"{shape,-21} {bytes.Length / 1e6,7:F2} {allocated / 1e6,13:F1} {bound / 1e6,9:F0}  {outcome}{(allocated > bound ? "  OVER" : "")}");
            }
        return over == 0 ? 0 : 1;
    }

    /// <summary>
    /// Decodes (lenient, as inspect and the server's ingest do) and analyses <paramref name="bytes"/>; returns the
    /// bytes this thread allocated doing so (an upper bound of what was live at the peak) and what happened.
    /// </summary>
    internal static (long Allocated, string Outcome) Probe(byte[] bytes)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        string outcome;
        try
        {
            var ride = FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient);
            var analysis = RideAnalyzer.Analyze(ride);
            outcome = $"{ride.Records.Count} rows, {analysis.Channels.Count} channels" + (ride.Damage is { } d ? $", damage {d.Kind}" : "");
        }
        catch (FitFormatException e)
        {
            outcome = $"refused: {e.Kind} at byte {e.Offset}";
        }
        catch (ArgumentException e)
        {
            outcome = $"refused: {e.Message}";
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before, outcome);
    }
}
