using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using System.Xml;

namespace NirsSync.SensorExports;

/// <summary>
/// Reads the first worksheet of an XLSX file into rows of stored cells (numbers as numbers, shared and
/// inline strings as text, error cells marked): the Open XML SDK opens the package and finds the first sheet and the
/// shared strings, a streaming XmlReader reads them. Bounded: the
/// declared unpacked size of every part is checked before anything is unpacked, each part is limited in
/// characters, and rows and columns are capped.
/// </summary>
internal static class XlsxReader
{
    private const int MaxColumns = 512;

    public static bool LooksLikeZip(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;

    /// <summary>The first sheet's rows, at most <paramref name="maxRows"/> of them (more is an error unless <paramref name="headOnly"/>).</summary>
    public static List<(int Row, SheetCell[] Cells)> Read(byte[] bytes, SensorExportOptions options, int maxRows, bool headOnly = false)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        CheckUnpackedSize(stream, options.MaxUnpackedBytes);
        stream.Position = 0;
        SpreadsheetDocument doc;
        try
        {
            doc = SpreadsheetDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = options.MaxUnpackedBytes / 2 });
        }
        catch (Exception e) when (e is not (OutOfMemoryException or SensorExportException))
        {
            throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, $"a ZIP file that is not a readable XLSX workbook ({e.Message})");
        }
        using (doc)
        {
            try
            {
                return ReadSheet(doc, maxRows, headOnly, options.MaxUnpackedBytes / 2);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or SensorExportException))
            {
                throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, $"the XLSX workbook is damaged ({e.Message})");
            }
        }
    }

    private static void CheckUnpackedSize(Stream stream, long max)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (total > max)
                    throw new SensorExportException(SensorExportFormat.Unknown, 0, 0,
                        $"the XLSX unpacks to more than {max} bytes (part {entry.FullName})");
            }
        }
        catch (InvalidDataException e)
        {
            throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, $"a damaged ZIP file ({e.Message})");
        }
    }

    private static List<(int Row, SheetCell[] Cells)> ReadSheet(SpreadsheetDocument doc, int maxRows, bool headOnly, long maxChars)
    {
        var workbook = doc.WorkbookPart ?? throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, "a ZIP file without an Excel workbook");
        var sheet = workbook.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault()
            ?? throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, "the workbook has no sheet");
        if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
            throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, "the workbook's first sheet is not a worksheet");
        var strings = SharedStrings(workbook, maxChars);
        // The SDK finds the parts; the sheet itself is read with the BCL's streaming XmlReader (the SDK's
        // element objects cost about 20 times as much per cell).
        var rows = new List<(int, SheetCell[])>();
        using var stream = part.GetStream(FileMode.Open, FileAccess.Read);
        using var x = XmlReader.Create(stream, Settings(maxChars));
        var cells = new List<SheetCell>();
        var lastRow = 0;
        var row = 0;
        var inRow = false;
        int column = -1;
        string? type = null;
        string? value = null;
        string? inline = null;
        void EndCell()
        {
            if (column < 0) return;
            while (cells.Count < column) cells.Add(default);
            if (cells.Count > column)
                throw new SensorExportException(SensorExportFormat.Unknown, row, column + 1, "a cell out of column order");
            cells.Add(Value(type, value, inline, strings, row, column));
            column = -1;
        }
        bool EndRow()
        {
            inRow = false;
            while (cells.Count > 0 && cells[^1] == default) cells.RemoveAt(cells.Count - 1);
            if (cells.Count == 0) return true;
            if (rows.Count == maxRows)
            {
                if (headOnly) return false;
                throw new SensorExportException(SensorExportFormat.Unknown, row, 0, $"more than {maxRows} rows");
            }
            rows.Add((row, cells.ToArray()));
            return true;
        }
        while (x.Read())
        {
            if (x.NodeType == XmlNodeType.Element)
            {
                switch (x.LocalName)
                {
                    case "row":
                        row = int.TryParse(x.GetAttribute("r"), out var r) ? r : lastRow + 1;
                        if (row <= lastRow)
                            throw new SensorExportException(SensorExportFormat.Unknown, row, 0, $"sheet row {row} comes after row {lastRow}");
                        lastRow = row;
                        cells.Clear();
                        inRow = true;
                        if (x.IsEmptyElement && !EndRow()) return rows;
                        break;
                    case "c" when inRow:
                        column = x.GetAttribute("r") is { } reference ? ColumnOf(reference, row) : cells.Count;
                        if (column >= MaxColumns)
                            throw new SensorExportException(SensorExportFormat.Unknown, row, column + 1, $"more than {MaxColumns} columns");
                        type = x.GetAttribute("t");
                        value = inline = null;
                        if (x.IsEmptyElement) EndCell();
                        break;
                    case "v" when column >= 0:
                        value = x.ReadElementContentAsString();
                        if (x.NodeType == XmlNodeType.EndElement && x.LocalName == "c") EndCell();
                        break;
                    case "t" when column >= 0:
                        inline = (inline ?? "") + x.ReadElementContentAsString();
                        break;
                }
            }
            else if (x.NodeType == XmlNodeType.EndElement)
            {
                if (x.LocalName == "c") EndCell();
                else if (x.LocalName == "row" && inRow && !EndRow()) return rows;
            }
        }
        return rows;
    }

    private static XmlReaderSettings Settings(long maxChars) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = false, IgnoreComments = true,
        MaxCharactersInDocument = maxChars,
    };

    /// <summary>The shared strings: each si's text runs (t), without phonetic runs (rPh).</summary>
    private static List<string> SharedStrings(WorkbookPart workbook, long maxChars)
    {
        var list = new List<string>();
        if (workbook.SharedStringTablePart is not { } sst) return list;
        using var stream = sst.GetStream(FileMode.Open, FileAccess.Read);
        using var x = XmlReader.Create(stream, Settings(maxChars));
        System.Text.StringBuilder? current = null;
        var phonetic = 0;
        while (x.Read())
        {
            if (x.NodeType == XmlNodeType.Element)
            {
                if (x.LocalName == "si") { current = new System.Text.StringBuilder(); if (x.IsEmptyElement) { list.Add(""); current = null; } }
                else if (x.LocalName == "rPh" && !x.IsEmptyElement) phonetic++;
                else if (x.LocalName == "t" && current is not null && phonetic == 0)
                {
                    current.Append(x.ReadElementContentAsString());
                    if (x.NodeType == XmlNodeType.EndElement && x.LocalName == "si") { list.Add(current.ToString()); current = null; }
                }
            }
            else if (x.NodeType == XmlNodeType.EndElement)
            {
                if (x.LocalName == "rPh") phonetic--;
                else if (x.LocalName == "si" && current is not null) { list.Add(current.ToString()); current = null; }
            }
        }
        return list;
    }

    private static SheetCell Value(string? type, string? raw, string? inline, List<string> strings, int row, int column)
    {
        switch (type)
        {
            case "s":
                if (!int.TryParse(raw, out var index) || index < 0 || index >= strings.Count)
                    throw new SensorExportException(SensorExportFormat.Unknown, row, column + 1, $"shared string '{Rows.Clip(raw)}' does not exist");
                return new SheetCell(null, strings[index], false);
            case "inlineStr": return new SheetCell(null, inline ?? "", false);
            case "str": return new SheetCell(null, raw ?? "", false);
            case "e": return new SheetCell(null, raw, true);
            case "b": return new SheetCell(null, raw, false);
        }
        if (string.IsNullOrEmpty(raw)) return default;
        if (!double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v))
            throw new SensorExportException(SensorExportFormat.Unknown, row, column + 1, $"number cell holds '{Rows.Clip(raw)}'");
        return new SheetCell(v, null, false);
    }

    /// <summary>0-based column of a reference like "AB12".</summary>
    private static int ColumnOf(string reference, int row)
    {
        var column = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetterUpper(reference[i]); i++)
        {
            column = column * 26 + (reference[i] - 'A' + 1);
            if (column > MaxColumns) throw new SensorExportException(SensorExportFormat.Unknown, row, 0, $"cell reference {Rows.Clip(reference)} beyond column {MaxColumns}");
        }
        if (i == 0) throw new SensorExportException(SensorExportFormat.Unknown, row, 0, $"bad cell reference '{Rows.Clip(reference)}'");
        return column - 1;
    }
}
