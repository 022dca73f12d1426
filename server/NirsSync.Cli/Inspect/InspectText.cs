using System.Globalization;
using NirsSync.Analysis;

namespace NirsSync.Cli;

/// <summary>The text form of <c>nirssync inspect</c>.</summary>
internal static class InspectText
{
    public static void Write(TextWriter w, string name, RideAnalysis a)
    {
        var ci = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(ci, $"{name}: {a.Rows} rows, {a.DurationS:0} s, {a.Channels.Count} muscle-oxygen channel(s), {a.Efforts.Count} effort(s)"));
        if (a.LeftOutWarning is { } leftOut) w.WriteLine($"  {leftOut}");
        foreach (var c in a.Channels)
        {
            var i = c.Channel;
            w.WriteLine(string.Create(ci,
                $"  {i.Id,-10} {i.Label} | sensor {(i.Sensor?.ToString(ci) ?? "?")} | {Muscles.Name(i.Muscle)} {Muscles.Name(i.Side)} ({i.Region}, {i.Source})"));
            w.WriteLine(string.Create(ci,
                $"             valid {c.Quality.ValidFraction:P1} of {c.Quality.Samples}, zeros {c.Quality.Zeros}, dropouts {c.Quality.Dropouts}, interval {c.Quality.SampleIntervalS} s"));
            w.WriteLine(string.Create(ci,
                $"             SmO2 % P5 {F(c.SmO2.P5)} P50 {F(c.SmO2.P50)} P95 {F(c.SmO2.P95)} min {F(c.SmO2.Min)} max {F(c.SmO2.Max)} range {F(c.SmO2.FunctionalRange)}"));
            w.WriteLine(string.Create(ci, $"             tHb g/dL P5 {F(c.THb.P5)} P50 {F(c.THb.P50)} P95 {F(c.THb.P95)}"));
        }
        foreach (var p in a.Pairs)
            w.WriteLine(string.Create(ci,
                $"  pair {p.A} / {p.B} {p.Relation}: P50 asymmetry {F(p.P50.AsymmetryIndex)} %, correlation {F(p.Harmony.Correlation)}"));
    }

    private static string F(double? v) => v?.ToString("0.##", CultureInfo.InvariantCulture) ?? "-";
}
