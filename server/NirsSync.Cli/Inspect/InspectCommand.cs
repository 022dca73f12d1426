using System.CommandLine;
using System.Text.Json;
using NirsSync.Analysis;
using NirsSync.Fit;
using NirsSync.SensorExports;

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
        var file = new Argument<FileInfo>("FILE")
        {
            Description = "FIT file, or a sensor export (Moxy CSV/XLSX, Train.Red CSV, VO2 Master Manager CSV, PerfPRO Studio XLSX), told by content",
        };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var map = new Option<string[]>("--map")
        {
            Description = "The athlete's sensor-to-muscle map: DEVICE=MUSCLE[:SIDE] entries separated by commas "
                + "(e.g. 665=vastus_lateralis:left), or a JSON file [{\"device\",\"muscle\",\"side\"}]",
            AllowMultipleArgumentsPerToken = false,
        };
        var start = new Option<string?>("--start")
        {
            Description = "Sensor exports: the instant of the first sample, e.g. 2026-02-06T13:17:13+01:00 (needed when the file states no date; wins over the file's date)",
        };
        var timeZone = new Option<string?>("--time-zone")
        {
            Description = "Sensor exports: the IANA time zone their wall-clock times are in (default: this computer's)",
        };
        var efforts = new Option<string?>("--efforts")
        {
            Description = "Work intervals in seconds from the recording's first sample, START-END separated by commas "
                + "(e.g. 124-364,486-726); they replace the efforts found from power, laps or SmO2",
        };
        var command = new Command("inspect", "Muscle-oxygen channels of a ride and their metrics per muscle and per pair")
        {
            file, json, map, start, timeZone, efforts,
        };
        command.SetAction(r => Run(r.GetValue(file)!, r.GetValue(json), Console.OpenStandardOutput(), Console.Error,
            r.GetValue(map) ?? [], r.GetValue(start), r.GetValue(timeZone), r.GetValue(efforts)));
        return command;
    }

    public static int Run(FileInfo file, bool json, Stream output, TextWriter error, IReadOnlyList<string>? map = null,
        string? start = null, string? timeZone = null, string? efforts = null)
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
        var bytes = File.ReadAllBytes(file.FullName);
        var format = SensorExportReader.Detect(bytes);
        if (format.IsExport()) return RunExport(file, bytes, json, output, error, athleteMap, start, timeZone, options);
        RideAnalysis analysis;
        var damaged = false;
        try
        {
            var ride = FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient);
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

    /// <summary>A sensor export: read in the given time zone (and start), analysed as the FIT path analyses a ride.</summary>
    private static int RunExport(FileInfo file, byte[] bytes, bool json, Stream output, TextWriter error, SensorMap? athleteMap,
        string? start, string? timeZone, AnalysisOptions analysisOptions)
    {
        var (options, problem) = ExportArguments.Parse(start, timeZone);
        if (problem is not null)
        {
            error.WriteLine($"nirssync: {problem}");
            return 2;
        }
        SensorExport export;
        RideAnalysis analysis;
        try
        {
            export = SensorExportReader.Read(bytes, options);
            if (export.Start is null)
            {
                error.WriteLine($"nirssync: {file.Name}: this {export.Format} export states no date: give the first sample's time with --start 2026-02-06T13:17:13+01:00");
                return 2;
            }
            analysis = RideAnalyzer.Analyze(export.ToRideFrame(), athleteMap, analysisOptions);
        }
        catch (SensorExportException e)
        {
            error.WriteLine($"nirssync: {file.Name}: {e.Message}");
            return 1;
        }
        if (json) InspectJson.Write(output, analysis, export);
        else
        {
            using var w = new StreamWriter(output, leaveOpen: true);
            InspectText.Write(w, file.Name, analysis);
            ExportArguments.Describe(w, export);
        }
        output.Flush();
        return 0;
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
