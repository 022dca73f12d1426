using System.Globalization;

namespace NirsSync.SensorExports;

/// <summary>
/// A table read row by row, from a CSV text or an XLSX sheet: the readers of each format see cells the
/// same way and report problems at a line (CSV) or sheet row (XLSX) and a 1-based column.
/// </summary>
internal abstract class Rows
{
    public SensorExportFormat Format { get; set; }

    /// <summary>Line of the CSV / row of the sheet of the current row (1-based).</summary>
    public abstract int Line { get; }

    /// <summary>Cells in the current row (trailing cells may be absent).</summary>
    public abstract int FieldCount { get; }

    /// <summary>Moves to the next row; false at the end.</summary>
    public abstract bool Next();

    /// <summary>The cell's text (a number cell's invariant text); empty when absent.</summary>
    public abstract ReadOnlySpan<char> Text(int column);

    /// <summary>The number cell's value when the cell holds a number (XLSX); null for text cells.</summary>
    protected virtual double? Stored(int column) => null;

    /// <summary>The value of a number cell (XLSX), null for text, blank and error cells and for every CSV field.</summary>
    public double? NumberCell(int column) => Stored(column);

    /// <summary>True when the cell is an XLSX error cell (#N/A, #DIV/0!, ...).</summary>
    protected virtual bool IsError(int column) => false;

    public bool IsBlank(int column) => Stored(column) is null && !IsError(column) && Text(column).Trim().IsEmpty;

    /// <summary>True when every cell of the current row is blank.</summary>
    public bool RowIsBlank()
    {
        for (var i = 0; i < FieldCount; i++) if (!IsBlank(i)) return false;
        return true;
    }

    public string TextString(int column) => Text(column).Trim().ToString();

    public SensorExportException Error(int column, string message) => new(Format, Line, column + 1, message);

    public SensorExportException LineError(string message) => new(Format, Line, 0, message);

    /// <summary>
    /// The cell as a number: NaN for a blank cell, an error cell or a special value (NaN, infinity, #N/A);
    /// other text is an error naming the place and the column's <paramref name="name"/>.
    /// </summary>
    public double Number(int column, string name, bool decimalComma = false)
    {
        if (Stored(column) is { } stored) return double.IsFinite(stored) ? stored : double.NaN;
        if (IsError(column)) return double.NaN;
        if (column >= FieldCount)
        {
            // A sheet leaves out blank cells at the end of a row; a CSV row must be whole.
            if (this is SheetRows) return double.NaN;
            throw Error(column, $"the row ends before column '{name}'");
        }
        var t = Text(column).Trim();
        if (t.IsEmpty) return double.NaN;
        if (TryParse(t, decimalComma, out var v)) return double.IsFinite(v) ? v : double.NaN;
        if (IsSpecial(t)) return double.NaN;
        throw Error(column, $"'{Clip(t)}' where a number belongs ({name})");
    }

    internal static bool TryParse(ReadOnlySpan<char> t, bool decimalComma, out double v)
    {
        if (decimalComma && t.Contains(','))
        {
            if (t.Length > 64) { v = 0; return false; }
            Span<char> buffer = stackalloc char[t.Length];
            t.CopyTo(buffer);
            var comma = buffer.IndexOf(',');
            if (buffer[(comma + 1)..].Contains(',') || buffer.Contains('.')) { v = 0; return false; }
            buffer[comma] = '.';
            return double.TryParse(buffer, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
    }

    private static bool IsSpecial(ReadOnlySpan<char> t) =>
        t.Equals("NaN", StringComparison.OrdinalIgnoreCase) || t.Equals("-NaN", StringComparison.OrdinalIgnoreCase)
        || t.Equals("Infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("-Infinity", StringComparison.OrdinalIgnoreCase)
        || t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("-inf", StringComparison.OrdinalIgnoreCase)
        || t.Equals("#N/A", StringComparison.OrdinalIgnoreCase) || t.Equals("N/A", StringComparison.OrdinalIgnoreCase)
        || t.Equals("null", StringComparison.OrdinalIgnoreCase) || t.Equals("--", StringComparison.Ordinal)
        || (t.Length > 1 && t[0] == '#' && t[^1] is '!' or '?' or 'A');

    internal static string Clip(ReadOnlySpan<char> t) => t.Length <= 40 ? t.ToString() : string.Concat(t[..40], "...");
}

/// <summary>
/// A strict CSV reader over a whole text: commas, fields optionally in double quotes ("" inside is a
/// quote), lines ending in LF, CRLF or CR. A quote left open at the end of a line is an error. Fields are
/// spans of the text: nothing is allocated per cell unless a quoted field holds doubled quotes.
/// </summary>
internal sealed class CsvRows : Rows
{
    private const int MaxFields = 512;
    private readonly string _text;
    private int _pos;
    private int _line;
    private int _count;
    private readonly int[] _start = new int[MaxFields];
    private readonly int[] _end = new int[MaxFields];
    private readonly string?[] _unescaped = new string?[MaxFields];

    public CsvRows(string text, SensorExportFormat format)
    {
        _text = text;
        Format = format;
        if (_text.Length > 0 && _text[0] == '\uFEFF') _pos = 1;
    }

    public override int Line => _line;
    public override int FieldCount => _count;

    public override bool Next()
    {
        if (_pos >= _text.Length) { _count = 0; return false; }
        _line++;
        _count = 0;
        var t = _text;
        var i = _pos;
        while (true)
        {
            if (_count == MaxFields) throw new SensorExportException(Format, _line, MaxFields + 1, $"more than {MaxFields} columns");
            var slot = _count++;
            _unescaped[slot] = null;
            if (i < t.Length && t[i] == '"')
            {
                var open = i++;
                var doubled = false;
                while (true)
                {
                    var q = i < t.Length ? t.IndexOfAny(QuoteOrNewline, i) : -1;
                    if (q < 0 || t[q] != '"')
                        throw new SensorExportException(Format, _line, slot + 1, "a quoted field is not closed before the end of the line");
                    if (q + 1 < t.Length && t[q + 1] == '"') { doubled = true; i = q + 2; continue; }
                    _start[slot] = open + 1;
                    _end[slot] = q;
                    if (doubled) _unescaped[slot] = t[(open + 1)..q].Replace("\"\"", "\"");
                    i = q + 1;
                    break;
                }
                if (i < t.Length && t[i] is not (',' or '\r' or '\n'))
                    throw new SensorExportException(Format, _line, slot + 1, "text after the closing quote of a field");
            }
            else
            {
                var stop = t.AsSpan(i).IndexOfAny(CommaOrNewline);
                var e = stop < 0 ? t.Length : i + stop;
                if (t.AsSpan(i, e - i).Contains('"'))
                    throw new SensorExportException(Format, _line, slot + 1, "a quote inside an unquoted field");
                _start[slot] = i;
                _end[slot] = e;
                i = e;
            }
            if (i >= t.Length) { _pos = i; break; }
            if (t[i] == ',') { i++; continue; }
            // end of line
            i += t[i] == '\r' && i + 1 < t.Length && t[i + 1] == '\n' ? 2 : 1;
            _pos = i;
            break;
        }
        return true;
    }

    private static readonly char[] QuoteOrNewline = ['"', '\r', '\n'];
    private static readonly System.Buffers.SearchValues<char> CommaOrNewline = System.Buffers.SearchValues.Create(",\r\n");

    public override ReadOnlySpan<char> Text(int column)
    {
        if (column >= _count) return default;
        return _unescaped[column] is { } u ? u : _text.AsSpan(_start[column], _end[column] - _start[column]);
    }

    /// <summary>The number in a field, fast path for the hot loops; false sends the caller to <see cref="Rows.Number"/>.</summary>
    public bool TryNumberFast(int column, out double v)
    {
        var t = Text(column);
        return SimpleDecimal(t, out v) || double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
    }

    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// "-12.345": an optional minus, digits, an optional point and digits, at most 15 digits in all. The
    /// value is the integer of the digits divided by a power of ten, both exact in a double, so the one
    /// rounding of the division gives exactly what double.Parse gives. Anything else returns false.
    /// </summary>
    internal static bool SimpleDecimal(ReadOnlySpan<char> t, out double v)
    {
        v = 0;
        var i = 0;
        var negative = t.Length > 0 && t[0] == '-';
        if (negative) i = 1;
        long mantissa = 0;
        var digits = 0;
        var fraction = -1;
        for (; i < t.Length; i++)
        {
            var c = t[i];
            if ((uint)(c - '0') <= 9)
            {
                mantissa = mantissa * 10 + (c - '0');
                if (++digits > 15) return false;
                if (fraction >= 0) fraction++;
            }
            else if (c == '.' && fraction < 0) fraction = 0;
            else return false;
        }
        if (digits == 0) return false;
        v = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
        if (negative) v = -v;
        return true;
    }
}

/// <summary>A cell of an XLSX row as stored.</summary>
internal readonly record struct SheetCell(double? Number, string? Text, bool Error);

/// <summary>Rows of the first worksheet of an XLSX file, read by <see cref="XlsxReader"/>.</summary>
internal sealed class SheetRows : Rows
{
    private readonly List<(int Row, SheetCell[] Cells)> _rows;
    private int _index = -1;

    public SheetRows(List<(int Row, SheetCell[] Cells)> rows, SensorExportFormat format)
    {
        _rows = rows;
        Format = format;
    }

    private SheetCell[] Cells => _rows[_index].Cells;

    public override int Line => _index < 0 ? 0 : _rows[Math.Min(_index, _rows.Count - 1)].Row;
    public override int FieldCount => _index < _rows.Count ? Cells.Length : 0;

    public override bool Next() => ++_index < _rows.Count;

    public override ReadOnlySpan<char> Text(int column)
    {
        if (column >= FieldCount) return default;
        var c = Cells[column];
        return c.Text ?? c.Number?.ToString("R", CultureInfo.InvariantCulture) ?? "";
    }

    protected override double? Stored(int column) => column < FieldCount ? Cells[column].Number : null;

    protected override bool IsError(int column) => column < FieldCount && Cells[column].Error;

    /// <summary>The first rows' text (for detection).</summary>
    public IEnumerable<string[]> Head(int count) =>
        _rows.Take(count).Select(r => r.Cells.Select(c => c.Text ?? c.Number?.ToString(CultureInfo.InvariantCulture) ?? "").ToArray());
}
