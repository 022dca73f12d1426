using System.CommandLine;
using System.Text.Json;
using NirsSync.Analysis;
using NirsSync.Fit;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync inspect FILE [--json] [--map DEVICE=MUSCLE[:SIDE],...|MAP.json]</c>: the muscle-oxygen channels
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
        var command = new Command("inspect", "Muscle-oxygen channels of a ride and their metrics per muscle and per pair")
        {
            file, json, map,
        };
        command.SetAction(r => Run(r.GetValue(file)!, r.GetValue(json), Console.OpenStandardOutput(), Console.Error,
            r.GetValue(map) ?? []));
        return command;
    }

    public static int Run(FileInfo file, bool json, Stream output, TextWriter error, IReadOnlyList<string>? map = null)
    {
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
            analysis = RideAnalyzer.Analyze(ride, athleteMap);
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
}
