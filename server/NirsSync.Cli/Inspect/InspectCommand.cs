using System.CommandLine;
using System.Text.Json;
using NirsSync.Analysis;
using NirsSync.Fit;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync inspect FILE [--json] [--map DEVICE=MUSCLE[:SIDE],...|MAP.json] [--efforts START-END,...]</c>: the muscle-oxygen channels
/// of a ride and its metrics per muscle and per pair; <c>--map</c> supplies the athlete's sensor-to-muscle map,
/// used (as on the server) for channels the file itself does not place on a muscle. JSON keys are a contract (issue 3): channels[].{id, sensor, muscle, side, source, samples,
/// valid_fraction, smo2{p5,p50,p95,min,max}, thb{p5,p50,p95}}, pairs[].{a, b, relation, asymmetry_p50}.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "FIT file to inspect" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var map = new Option<string[]>("--map")
        {
            Description = "The athlete's sensor-to-muscle map: DEVICE=MUSCLE[:SIDE] entries separated by commas "
                + "(e.g. 665=vastus_lateralis:left), or a JSON file [{\"device\",\"muscle\",\"side\"}]",
            AllowMultipleArgumentsPerToken = false,
        };
        var efforts = new Option<string?>("--efforts")
        {
            Description = "Work intervals in seconds from the recording's first sample, START-END separated by commas "
                + "(e.g. 124-364,486-726); they replace the efforts found from power, laps or SmO2",
        };
        var command = new Command("inspect", "Muscle-oxygen channels of a ride and their metrics per muscle and per pair")
        {
            file, json, map, efforts,
        };
        command.SetAction(r => Run(r.GetValue(file)!, r.GetValue(json), Console.OpenStandardOutput(), Console.Error,
            r.GetValue(map) ?? [], r.GetValue(efforts)));
        return command;
    }

    public static int Run(FileInfo file, bool json, Stream output, TextWriter error, IReadOnlyList<string>? map = null,
        string? efforts = null)
    {
        var options = AnalysisOptions.Default;
        if (efforts is not null)
        {
            var (intervals, problem) = ParseEfforts(efforts);
            if (problem is not null)
            {
                error.WriteLine($"nirssync: --efforts: {problem}");
                return 2;
            }
            options = options with { GivenEfforts = intervals };
        }
        SensorMap? athleteMap = null;
        if (map is { Count: > 0 })
        {
            var (parsed, problem) = SensorMapArgument.Parse(map);
            if (problem is not null)
            {
                error.WriteLine($"nirssync: --map: {problem}");
                return 2;
            }
            athleteMap = parsed;
        }
        if (!file.Exists)
        {
            error.WriteLine($"nirssync: {file.FullName}: no such file");
            return 2;
        }
        RideAnalysis analysis;
        var damaged = false;
        try
        {
            var ride = FitColumnarReader.Read(File.ReadAllBytes(file.FullName), FitDecodeOptions.Lenient);
            damaged = ride.Damage is not null;
            if (ride.Damage is { } damage) error.WriteLine($"nirssync: {file.Name}: {damage.ToException().Message} (analysing what was readable)");
            analysis = RideAnalyzer.Analyze(ride, athleteMap, options);
        }
        catch (Exception e) when (e is FitFormatException or ArgumentException)
        {
            error.WriteLine($"nirssync: {file.Name}: {e.Message}");
            return 1;
        }
        if (json) InspectJson.Write(output, analysis);
        else
        {
            using var w = new StreamWriter(output, leaveOpen: true);
            InspectText.Write(w, file.Name, analysis);
        }
        output.Flush();
        // Like `fit dump`: what was readable is shown, and damage makes the exit code 1.
        return damaged ? 1 : 0;
    }

    /// <summary>Parses <c>START-END[,START-END...]</c> (seconds, decimals with a point); the problem names the bad entry.</summary>
    internal static (IReadOnlyList<EffortInterval> Intervals, string? Problem) ParseEfforts(string text)
    {
        var list = new List<EffortInterval>();
        var parts = text.Split(',');
        for (var k = 0; k < parts.Length; k++)
        {
            var part = parts[k].Trim();
            var dash = part.IndexOf('-', 1 < part.Length ? 1 : 0);
            var ci = System.Globalization.CultureInfo.InvariantCulture;
            const System.Globalization.NumberStyles style = System.Globalization.NumberStyles.AllowDecimalPoint;
            if (dash <= 0 || !double.TryParse(part[..dash], style, ci, out var s) || !double.TryParse(part[(dash + 1)..], style, ci, out var e))
                return ([], $"entry {k + 1} '{part}' is not START-END in seconds (e.g. 124-364)");
            if (e <= s) return ([], $"entry {k + 1} '{part}' ends before it starts");
            if (list.Count > 0 && s < list[^1].EndS) return ([], $"entry {k + 1} '{part}' starts before entry {k} ends");
            list.Add(new EffortInterval(s, e));
        }
        return (list, null);
    }
}
