using System.Globalization;
using System.Text;

namespace NirsSync.Server.Dashboard;

/// <summary>A line of a chart; null values break the line.</summary>
public sealed record ChartLine(string Name, string Color, IReadOnlyList<double?> Values, bool Dashed = false, bool Markers = false);

/// <summary>A shaded band between two value lists.</summary>
public sealed record ChartBand(string Name, string Color, IReadOnlyList<double?> Lower, IReadOnlyList<double?> Upper);

/// <summary>
/// One panel of a chart: an x axis (numbers: seconds, or week indexes with labels), a y axis, bands,
/// lines and highlighted points. Rendered as a responsive SVG (viewBox, width 100 %).
/// </summary>
public sealed class SvgChart(string title, string yUnit)
{
    private const double Width = 640, Left = 46, Right = 12, Top = 46, Bottom = 26;
    private readonly List<ChartLine> _lines = [];
    private readonly List<ChartBand> _bands = [];
    private readonly List<(int Index, double Value, string Label)> _flags = [];

    public double Height { get; init; } = 220;
    public IReadOnlyList<double> X { get; init; } = [];
    public Func<double, string> XLabel { get; init; } = x => x.ToString("0", CultureInfo.InvariantCulture);
    public double? YMin { get; init; }
    public double? YMax { get; init; }
    public double? ReferenceY { get; init; }

    public SvgChart Line(ChartLine line) { _lines.Add(line); return this; }
    public SvgChart Band(ChartBand band) { _bands.Add(band); return this; }
    public SvgChart Flag(int index, double value, string label) { _flags.Add((index, value, label)); return this; }

    public string Render()
    {
        var values = _lines.SelectMany(l => l.Values).Concat(_bands.SelectMany(b => b.Lower.Concat(b.Upper)))
            .Where(v => v is { } d && double.IsFinite(d)).Select(v => v!.Value).ToList();
        if (ReferenceY is { } r) values.Add(r);
        var (y0, y1, step) = Ticks.Nice(YMin ?? (values.Count > 0 ? values.Min() : 0), YMax ?? (values.Count > 0 ? values.Max() : 1));
        var x0 = X.Count > 0 ? X[0] : 0;
        var x1 = X.Count > 1 ? X[^1] : x0 + 1;
        double Px(double x) => Left + (x - x0) / (x1 - x0) * (Width - Left - Right);
        double Py(double y) => Top + (1 - (y - y0) / (y1 - y0)) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(Inv($"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Html.E(title)}\" xmlns=\"http://www.w3.org/2000/svg\">"));
        svg.Append(Inv($"<title>{Html.E(title)}</title><text x=\"{Left}\" y=\"16\" class=\"ct\">{Html.E(title)}</text>"));
        for (var y = y0; y <= y1 + step / 2; y += step)
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Py(y):0.#}\" y2=\"{Py(y):0.#}\" class=\"grid\"/><text x=\"{Left - 4}\" y=\"{Py(y) + 4:0.#}\" class=\"yl\">{y:0.##}</text>"));
        svg.Append(Inv($"<text x=\"{Width - Right}\" y=\"16\" class=\"yu\">{Html.E(yUnit)}</text>"));
        foreach (var i in XTickIndexes())
            svg.Append(Inv($"<text x=\"{Px(X[i]):0.#}\" y=\"{Height - 8}\" class=\"xl\">{Html.E(XLabel(X[i]))}</text>"));
        if (ReferenceY is { } reference)
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Py(reference):0.#}\" y2=\"{Py(reference):0.#}\" class=\"ref\"/>"));
        foreach (var b in _bands)
            foreach (var polygon in BandPolygons(b, Px, Py))
                svg.Append(Inv($"<polygon points=\"{polygon}\" fill=\"{b.Color}\" class=\"band\"><title>{Html.E(b.Name)}</title></polygon>"));
        foreach (var l in _lines)
        {
            foreach (var path in Segments(l.Values, Px, Py))
                svg.Append(Inv($"<polyline points=\"{path}\" stroke=\"{l.Color}\" class=\"line{(l.Dashed ? " dashed" : "")}\" data-series=\"{Html.E(l.Name)}\"><title>{Html.E(l.Name)}</title></polyline>"));
            if (l.Markers)
                for (var i = 0; i < l.Values.Count && i < X.Count; i++)
                    if (l.Values[i] is { } v)
                        svg.Append(Inv($"<circle cx=\"{Px(X[i]):0.#}\" cy=\"{Py(v):0.#}\" r=\"2.5\" fill=\"{l.Color}\"><title>{Html.E(XLabel(X[i]))}: {v:0.##} {Html.E(yUnit)}</title></circle>"));
        }
        foreach (var (i, v, label) in _flags)
            svg.Append(Inv($"<circle cx=\"{Px(X[i]):0.#}\" cy=\"{Py(v):0.#}\" r=\"5\" class=\"flag\"><title>{Html.E(label)}</title></circle>"));
        svg.Append(Legend());
        svg.Append("</svg>");
        return svg.ToString();
    }

    private string Legend()
    {
        var html = new StringBuilder();
        var x = Left;
        foreach (var (name, color) in _bands.Select(b => (b.Name, b.Color)).Concat(_lines.Select(l => (l.Name, l.Color))))
        {
            html.Append(Inv($"<rect x=\"{x}\" y=\"24\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{x + 13}\" y=\"33\" class=\"lg\">{Html.E(name)}</text>"));
            x += 18 + name.Length * 6.2;
        }
        return html.ToString();
    }

    private IEnumerable<int> XTickIndexes()
    {
        if (X.Count == 0) yield break;
        var every = Math.Max(1, (int)Math.Ceiling(X.Count / 7.0));
        for (var i = 0; i < X.Count; i += every) yield return i;
    }

    private IEnumerable<string> Segments(IReadOnlyList<double?> values, Func<double, double> px, Func<double, double> py)
    {
        var current = new StringBuilder();
        for (var i = 0; i < values.Count && i < X.Count; i++)
        {
            if (values[i] is { } v && double.IsFinite(v)) current.Append(Inv($"{px(X[i]):0.#},{py(v):0.#} "));
            else if (current.Length > 0) { yield return current.ToString().TrimEnd(); current.Clear(); }
        }
        if (current.Length > 0) yield return current.ToString().TrimEnd();
    }

    private IEnumerable<string> BandPolygons(ChartBand band, Func<double, double> px, Func<double, double> py)
    {
        var run = new List<int>();
        for (var i = 0; i <= X.Count; i++)
        {
            if (i < X.Count && i < band.Lower.Count && band.Lower[i] is not null && band.Upper[i] is not null) { run.Add(i); continue; }
            if (run.Count > 0)
            {
                var top = run.Select(j => Inv($"{px(X[j]):0.#},{py(band.Upper[j]!.Value):0.#}"));
                var bottom = run.AsEnumerable().Reverse().Select(j => Inv($"{px(X[j]):0.#},{py(band.Lower[j]!.Value):0.#}"));
                yield return string.Join(' ', top.Concat(bottom));
                run.Clear();
            }
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Round axis limits and a tick step of 1, 2 or 5 times a power of ten.</summary>
public static class Ticks
{
    public static (double Min, double Max, double Step) Nice(double min, double max, int target = 5)
    {
        if (!(max > min)) { min -= 1; max += 1; }
        var raw = (max - min) / target;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }
}
