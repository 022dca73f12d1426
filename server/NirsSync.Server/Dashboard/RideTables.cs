using System.Text;
using System.Text.Json;
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
        foreach (var m in rows)
            html.Append("<tr>")
                .Append(Cell(Names.Channel(Muscles.Name(m.Channel.Muscle), Muscles.Name(m.Channel.Side), m.Channel.Label, m.Channel.Sensor))).Append(Cell(Names.Muscle(Muscles.Name(m.Channel.Muscle)), "hide-phone"))
                .Append(Cell(Muscles.Name(m.Channel.Side), "hide-phone")).Append(Cell(m.Channel.Sensor?.ToString(CultureInfo.InvariantCulture)))
                .Append(Cell(Num(m.SmO2.P5))).Append(Cell(Num(m.SmO2.P50))).Append(Cell(Num(m.SmO2.P95)))
                .Append(Cell(Num(m.SmO2.FunctionalRange))).Append(Cell(Num(m.THb.P50, "0.00")))
                .Append(Cell(Num(m.EffortSummary.DesaturationRate))).Append(Cell(Num(m.EffortSummary.ReoxygenationHalfTimeS)))
                .Append("</tr>");
        return html.Append("</table></div>").ToString();
    }

    /// <summary>
    /// One block of rows per effort (found from power): per muscle the SmO2 baseline before it, the depth and rate of
    /// desaturation and the reoxygenation half-time after it; per pair the lag of B behind A within the effort.
    /// </summary>
    public static string Efforts(RideDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var metrics = JsonSerializer.SerializeToDocument(document.Metrics, AnalysisJson.Options);
        using var pairs = JsonSerializer.SerializeToDocument(document.Pairs, AnalysisJson.Options);
        var channels = metrics.RootElement.ValueKind == JsonValueKind.Array ? metrics.RootElement.EnumerateArray().ToList() : [];
        if (channels.Count == 0 || Walk(channels[0], "efforts") is not { ValueKind: JsonValueKind.Array } first || first.GetArrayLength() == 0)
            return "<h2>Efforts</h2><p class=\"muted\">No efforts found in power (a steady ride).</p>";
        var pairRows = pairs.RootElement.ValueKind == JsonValueKind.Array ? pairs.RootElement.EnumerateArray().ToList() : [];
        var html = new StringBuilder("<h2>Efforts</h2><div class=\"scroll\"><table class=\"efforts\"><thead><tr><th class=\"eff\">#</th><th class=\"num eff\">Start</th><th class=\"num eff\">Length</th><th class=\"num eff\">Power</th><th>Muscle</th><th class=\"num\">Baseline %</th><th class=\"num\">Depth %</th><th class=\"num\">Rate %/min</th><th class=\"num\">Half-time s</th><th class=\"eff\">Lag between partners</th><th class=\"eff\"></th></tr></thead><tbody>");
        foreach (var effort in first.EnumerateArray())
        {
            var index = Walk(effort, "index") is { ValueKind: JsonValueKind.Number } i ? i.GetInt32() : 0;
            var start = Walk(effort, "startS")?.GetDouble() ?? 0;
            var length = Walk(effort, "durationS")?.GetDouble() ?? 0;
            var lags = new List<string>();
            foreach (var p in pairRows)
                if (Walk(p, "effortHarmony") is { ValueKind: JsonValueKind.Array } eh)
                    foreach (var h in eh.EnumerateArray())
                        if (Walk(h, "effort") is { ValueKind: JsonValueKind.Number } e && e.GetInt32() == index
                            && Walk(h, "harmony", "lagS") is { ValueKind: JsonValueKind.Number } lag)
                            lags.Add($"{Names.Pair(Text(p, "name"))}: {Names.Number(lag.GetDouble(), "+0.#;-0.#;0")} s");
            var rows = channels.Count;
            for (var c = 0; c < channels.Count; c++)
            {
                var e = Walk(channels[c], "efforts") is { ValueKind: JsonValueKind.Array } list
                    ? list.EnumerateArray().FirstOrDefault(x => Walk(x, "index") is { ValueKind: JsonValueKind.Number } n && n.GetInt32() == index)
                    : default;
                html.Append(c == 0 ? $"<tr data-effort=\"{index}\" class=\"effort-first\">" : $"<tr data-effort=\"{index}\">");
                // On a phone (dashboard.css) the effort's own cells become one heading line above its muscles' rows.
                if (c == 0)
                    html.Append($"<td rowspan=\"{rows}\" class=\"eff-n\">{index + 1}</td><td rowspan=\"{rows}\" class=\"num eff-start\">{Names.Duration(start)}</td><td rowspan=\"{rows}\" class=\"num eff-len\">{Names.Duration(length)}</td><td rowspan=\"{rows}\" class=\"num eff-power\">{Html.E(Field(effort, "meanPowerW", "0"))} W</td>");
                html.Append(Cell(Names.Channel(Text(channels[c], "channel", "muscle"), Text(channels[c], "channel", "side"), Text(channels[c], "channel", "label"))));
                html.Append(NumCell(e, "baseline")).Append(NumCell(e, "desaturationDepth")).Append(NumCell(e, "desaturationRate")).Append(NumCell(e, "reoxygenationHalfTimeS"));
                if (c == 0)
                    html.Append($"<td rowspan=\"{rows}\" class=\"eff-lag\">{Html.E(lags.Count == 0 ? "–" : string.Join("; ", lags))}</td><td rowspan=\"{rows}\" class=\"eff-zoom\"><button class=\"zoom\" data-from=\"{Math.Max(0, start - 60):0}\" data-to=\"{start + length + 120:0}\">zoom</button></td>");
                html.Append("</tr>");
            }
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    private static string NumCell(JsonElement e, string name) =>
        $"<td class=\"num\">{Html.E(e.ValueKind == JsonValueKind.Object && Walk(e, name) is { ValueKind: JsonValueKind.Number } n ? Names.Number(n.GetDouble()) : "–")}</td>";

    private static string? Field(JsonElement e, string name, string format) =>
        Walk(e, name) is { ValueKind: JsonValueKind.Number } n ? Names.Number(n.GetDouble(), format) : null;

    public static string Pairs(IReadOnlyList<PairMetrics> rows)
    {
        if (rows.Count == 0) return "";
        var html = new StringBuilder("<h2>Pairs</h2><div class=\"scroll\"><table class=\"pairs\"><tr><th>Pair</th><th>SmO2 P50 A</th><th>B</th><th>Asymmetry %</th><th>Range asym. %</th><th>Correlation</th></tr>");
        foreach (var p in rows)
            html.Append("<tr>").Append(Cell(Names.Pair(p.Name))).Append(Cell(Num(p.P50.A))).Append(Cell(Num(p.P50.B)))
                .Append(Cell(Num(p.P50.AsymmetryIndex))).Append(Cell(Num(p.FunctionalRange.AsymmetryIndex)))
                .Append(Cell(Num(p.Harmony.Correlation, "0.00"))).Append("</tr>");
        return html.Append("</table></div>").ToString();
    }

    private static string Cell(string? text, string? cls = null) =>
        cls is null ? $"<td>{Html.E(text ?? "–")}</td>" : $"<td class=\"{cls}\">{Html.E(text ?? "–")}</td>";

    private static string? Num(double? value, string format = "0.#") => value is null ? null : Names.Number(value, format);
    private static JsonElement? Walk(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out var next)) return null;
            e = next;
        }
        return e;
    }

    private static string? Text(JsonElement e, params string[] path) => Walk(e, path) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };
}
