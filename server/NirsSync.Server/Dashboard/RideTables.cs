using System.Text;
using NirsSync.Data.Documents;
using System.Globalization;
using NirsSync.Analysis;

namespace NirsSync.Server.Dashboard;

/// <summary>Tables of a ride's per-muscle and per-pair metrics, read from the stored ride document's typed objects.</summary>
internal static class RideTables
{
    public static string Channels(IReadOnlyList<ChannelMetrics> rows)
    {
        if (rows.Count == 0) return "";
        var html = new StringBuilder("<h2>Muscles</h2><div class=\"scroll\"><table class=\"channels\"><tr><th>Channel</th><th class=\"hide-phone\">Muscle</th><th class=\"hide-phone\">Side</th><th>Sensor</th><th>SmO2 P5</th><th>P50</th><th>P95</th><th>Range</th><th>tHb P50</th><th>Desat. rate</th><th>Reoxy ½ (s)</th></tr>");
        // On a phone (dashboard.css) each row becomes a card: the muscle as its heading, then the values under the
        // labels in data-label, three to a line.
        foreach (var m in rows)
            html.Append("<tr>")
                .Append(Cell(Names.Channel(Muscles.Name(m.Channel.Muscle), Muscles.Name(m.Channel.Side), m.Channel.Label, m.Channel.Sensor), "name")).Append(Cell(Names.Muscle(Muscles.Name(m.Channel.Muscle)), "hide-phone"))
                .Append(Cell(Muscles.Name(m.Channel.Side), "hide-phone")).Append(Labelled("Sensor", m.Channel.Sensor?.ToString(CultureInfo.InvariantCulture)))
                .Append(Labelled("SmO2 P5", Num(m.SmO2.P5))).Append(Labelled("P50", Num(m.SmO2.P50))).Append(Labelled("P95", Num(m.SmO2.P95)))
                .Append(Labelled("Range", Num(m.SmO2.FunctionalRange))).Append(Labelled("tHb P50", Num(m.THb.P50, "0.00")))
                .Append(Labelled("Desat. rate", Num(m.EffortSummary.DesaturationRate))).Append(Labelled("Reoxy ½ (s)", Num(m.EffortSummary.ReoxygenationHalfTimeS)))
                .Append("</tr>");
        return html.Append("</table></div>").ToString();
    }

    /// <summary>
    /// One block of rows per effort: per muscle the SmO2 baseline before it, the depth (baseline − robust low) and rate
    /// of desaturation, and the reoxygenation half-time from the end of the work (the measures of docs/metrics.md the
    /// summaries and trends use; "cut" when the next effort came before the recovery); per pair the lag of B behind A
    /// within the effort.
    /// </summary>
    public static string Efforts(RideDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var channels = document.Metrics;
        if (channels.Count == 0 || channels[0].Efforts.Count == 0)
            return "<h2>Efforts</h2><p class=\"muted\">No efforts found in power (a steady ride).</p>";
        var html = new StringBuilder("<h2>Efforts</h2><div class=\"scroll\"><table class=\"efforts\"><thead><tr><th class=\"eff\">#</th><th class=\"num eff\">Start</th><th class=\"num eff\">Length</th><th class=\"num eff\">Power</th><th>Muscle</th><th class=\"num\">Baseline %</th><th class=\"num\">Depth %</th><th class=\"num\">Rate %/min</th><th class=\"num\">Half-time s</th><th class=\"eff\">Lag between partners</th><th class=\"eff\"></th></tr></thead><tbody>");
        foreach (var effort in channels[0].Efforts)
        {
            var index = effort.Index;
            var lags = new List<string>();
            foreach (var pair in document.Pairs)
                foreach (var h in pair.EffortHarmony)
                    if (h.Effort == index && h.Harmony.LagS is { } lag)
                        lags.Add($"{Names.Pair(pair.Name)}: {Names.Number(lag, "+0.#;-0.#;0")} s");
            var rows = channels.Count;
            for (var c = 0; c < channels.Count; c++)
            {
                var channel = channels[c];
                EffortMetrics? e = null;
                foreach (var x in channel.Efforts)
                    if (x.Index == index) { e = x; break; }
                html.Append(c == 0 ? $"<tr data-effort=\"{index}\" class=\"effort-first\">" : $"<tr data-effort=\"{index}\">");
                // On a phone (dashboard.css) the effort's own cells become one heading line above its muscles' rows.
                if (c == 0)
                    html.Append($"<td rowspan=\"{rows}\" class=\"eff-n\">{index + 1}</td><td rowspan=\"{rows}\" class=\"num eff-start\">{Names.Duration(effort.StartS)}</td><td rowspan=\"{rows}\" class=\"num eff-len\">{Names.Duration(effort.DurationS)}</td><td rowspan=\"{rows}\" class=\"num eff-power\">{Html.E(Names.Number(effort.MeanPowerW, "0"))} W</td>");
                html.Append(Cell(Names.Channel(Muscles.Name(channel.Channel.Muscle), Muscles.Name(channel.Channel.Side), channel.Channel.Label, channel.Channel.Sensor)));
                html.Append(Cell(Num(e?.Baseline), "num")).Append(Cell(Num(e?.Depth), "num")).Append(Cell(Num(e?.DesaturationRate), "num"))
                    .Append(Cell(e is { RecoveryCut: true } ? "cut" : Num(e?.HalfTimeFromEndS), "num"));
                if (c == 0)
                    html.Append($"<td rowspan=\"{rows}\" class=\"eff-lag\">{Html.E(lags.Count == 0 ? "–" : string.Join("; ", lags))}</td><td rowspan=\"{rows}\" class=\"eff-zoom\"><button class=\"zoom\" data-from=\"{Math.Max(0, effort.StartS - 60):0}\" data-to=\"{effort.StartS + effort.DurationS + 120:0}\">zoom</button></td>");
                html.Append("</tr>");
            }
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    public static string Pairs(IReadOnlyList<PairMetrics> rows)
    {
        if (rows.Count == 0) return "";
        var html = new StringBuilder("<h2>Pairs</h2><div class=\"scroll\"><table class=\"pairs\"><tr><th>Pair</th><th>SmO2 P50 A</th><th>B</th><th>Asymmetry %</th><th>Range asym. %</th><th>Correlation</th></tr>");
        foreach (var p in rows)
            html.Append("<tr>").Append(Cell(Names.Pair(p.Name), "name")).Append(Labelled("SmO2 P50 A", Num(p.P50.A))).Append(Labelled("B", Num(p.P50.B)))
                .Append(Labelled("Asymmetry %", Num(p.P50.AsymmetryIndex))).Append(Labelled("Range asym. %", Num(p.FunctionalRange.AsymmetryIndex)))
                .Append(Labelled("Correlation", Num(p.Harmony.Correlation, "0.00"))).Append("</tr>");
        return html.Append("</table></div>").ToString();
    }

    private static string Cell(string? text, string? cls = null) =>
        cls is null ? $"<td>{Html.E(text ?? "–")}</td>" : $"<td class=\"{cls}\">{Html.E(text ?? "–")}</td>";

    /// <summary>A value cell that names its column for the phone's card layout.</summary>
    private static string Labelled(string label, string? text) => $"<td data-label=\"{Html.E(label)}\">{Html.E(text ?? "–")}</td>";

    private static string? Num(double? value, string format = "0.#") => value is null ? null : Names.Number(value, format);
}
