using System.Text;
using System.Text.Json;

namespace NirsSync.Server.Dashboard;

/// <summary>Tables of a ride's per-muscle and per-pair metrics, read from the stored analysis JSON.</summary>
internal static class RideTables
{
    public static string Channels(string metricsJson)
    {
        using var doc = JsonDocument.Parse(metricsJson);
        var rows = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : [];
        if (rows.Count == 0) return "";
        var html = new StringBuilder("<h2>Muscles</h2><div class=\"scroll\"><table class=\"channels\"><tr><th>Channel</th><th>Muscle</th><th>Side</th><th>Sensor</th><th>SmO2 P5</th><th>P50</th><th>P95</th><th>Range</th><th>tHb P50</th><th>Desat. rate</th><th>Reoxy ½ (s)</th></tr>");
        foreach (var m in rows)
            html.Append("<tr>")
                .Append(Cell(Text(m, "channel", "label"))).Append(Cell(Text(m, "channel", "muscle")?.Replace('_', ' ')))
                .Append(Cell(Text(m, "channel", "side"))).Append(Cell(Text(m, "channel", "sensor")))
                .Append(Cell(Num(m, "smO2", "p5"))).Append(Cell(Num(m, "smO2", "p50"))).Append(Cell(Num(m, "smO2", "p95")))
                .Append(Cell(Num(m, "smO2", "functionalRange"))).Append(Cell(Num(m, "tHb", "p50", "0.00")))
                .Append(Cell(Num(m, "effortSummary", "desaturationRate"))).Append(Cell(Num(m, "effortSummary", "reoxygenationHalfTimeS")))
                .Append("</tr>");
        return html.Append("</table></div>").ToString();
    }

    public static string Pairs(string pairsJson)
    {
        using var doc = JsonDocument.Parse(pairsJson);
        var rows = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : [];
        if (rows.Count == 0) return "";
        var html = new StringBuilder("<h2>Pairs</h2><div class=\"scroll\"><table class=\"pairs\"><tr><th>Pair</th><th>SmO2 P50 A</th><th>B</th><th>Asymmetry %</th><th>Range asym. %</th><th>Correlation</th></tr>");
        foreach (var p in rows)
            html.Append("<tr>").Append(Cell(Text(p, "name"))).Append(Cell(Num(p, "p50", "a"))).Append(Cell(Num(p, "p50", "b")))
                .Append(Cell(Num(p, "p50", "asymmetryIndex"))).Append(Cell(Num(p, "functionalRange", "asymmetryIndex")))
                .Append(Cell(Num(p, "harmony", "correlation", "0.00"))).Append("</tr>");
        return html.Append("</table></div>").ToString();
    }

    private static string Cell(string? text) => $"<td>{Html.E(text ?? "–")}</td>";

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

    private static string? Num(JsonElement e, string a, string b, string format = "0.#") =>
        Walk(e, a, b) is { ValueKind: JsonValueKind.Number } n ? Names.Number(n.GetDouble(), format) : null;
}
