using System.Globalization;
using System.Text;

namespace NirsSync.Server.Exports;

/// <summary>RFC 4180 CSV writing with invariant numbers; text cells are protected against formula injection.</summary>
public sealed class Csv
{
    private readonly StringBuilder _text = new();

    public Csv Row(params object?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) _text.Append(',');
            _text.Append(Escape(Format(cells[i])));
        }
        _text.Append("\r\n");
        return this;
    }

    public override string ToString() => _text.ToString();

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => double.IsNaN(d) ? "" : d.ToString("0.###", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string text => Neutralise(text),
        _ => Neutralise(value.ToString() ?? ""),
    };

    /// <summary>
    /// Formula injection: a spreadsheet runs a text cell that starts with =, +, -, @, a tab or a carriage return as a
    /// formula. Such text cells (names, labels, warnings) get a leading apostrophe, which spreadsheets show as text.
    /// Numbers are written from numeric values (never through here), so a negative number stays a number.
    /// </summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static string Escape(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
