using System.Text;
using System.Globalization;
using NirsSync.Analysis;

namespace NirsSync.Server.Dashboard;

/// <summary>Tables of a ride's per-muscle and per-pair metrics, read from the stored ride document's typed objects.</summary>
internal static class RideTables
{
    public static string Channels(IReadOnlyList<ChannelMetrics> rows)
    {
        if (rows.Count == 0) return "";
        var html = new StringBuilder("<h2>Muscles</h2><div class=\"scroll\"><table class=\"channels\"><tr><th>Channel</th><th>Muscle</th><th>Side</th><th>Sensor</th><th>SmO2 P5</th><th>P50</th><th>P95</th><th>Range</th><th>tHb P50</th><th>Desat. rate</th><th>Reoxy ½ (s)</th></tr>");
        foreach (var m in rows)
            html.Append("<tr>")
                .Append(Cell(m.Channel.Label)).Append(Cell(Muscles.Name(m.Channel.Muscle).Replace('_', ' ')))
                .Append(Cell(Muscles.Name(m.Channel.Side))).Append(Cell(m.Channel.Sensor?.ToString(CultureInfo.InvariantCulture)))
                .Append(Cell(Num(m.SmO2.P5))).Append(Cell(Num(m.SmO2.P50))).Append(Cell(Num(m.SmO2.P95)))
                .Append(Cell(Num(m.SmO2.FunctionalRange))).Append(Cell(Num(m.THb.P50, "0.00")))
                .Append(Cell(Num(m.EffortSummary.DesaturationRate))).Append(Cell(Num(m.EffortSummary.ReoxygenationHalfTimeS)))
                .Append("</tr>");
        return html.Append("</table></div>").ToString();
    }

    public static string Pairs(IReadOnlyList<PairMetrics> rows)
    {
        if (rows.Count == 0) return "";
        var html = new StringBuilder("<h2>Pairs</h2><div class=\"scroll\"><table class=\"pairs\"><tr><th>Pair</th><th>SmO2 P50 A</th><th>B</th><th>Asymmetry %</th><th>Range asym. %</th><th>Correlation</th></tr>");
        foreach (var p in rows)
            html.Append("<tr>").Append(Cell(p.Name)).Append(Cell(Num(p.P50.A))).Append(Cell(Num(p.P50.B)))
                .Append(Cell(Num(p.P50.AsymmetryIndex))).Append(Cell(Num(p.FunctionalRange.AsymmetryIndex)))
                .Append(Cell(Num(p.Harmony.Correlation, "0.00"))).Append("</tr>");
        return html.Append("</table></div>").ToString();
    }

    private static string Cell(string? text) => $"<td>{Html.E(text ?? "–")}</td>";

    private static string? Num(double? value, string format = "0.#") => value is null ? null : Names.Number(value, format);
}
