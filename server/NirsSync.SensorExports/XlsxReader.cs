using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace NirsSync.SensorExports;

/// <summary>
/// Reads the first worksheet of an XLSX file into rows of stored cells (numbers as numbers, shared and
/// inline strings as text, error cells marked) with the Open XML SDK's streaming reader. Bounded: the
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
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException or FileFormatException or InvalidOperationException)
        {
            throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, $"a ZIP file that is not a readable XLSX workbook ({e.Message})");
        }
        using (doc)
        {
            try
            {
                return ReadSheet(doc, maxRows, headOnly);
            }
            catch (Exception e) when (e is System.Xml.XmlException or InvalidDataException or IOException or OpenXmlPackageException
                or InvalidOperationException or FormatException)
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

    private static List<(int Row, SheetCell[] Cells)> ReadSheet(SpreadsheetDocument doc, int maxRows, bool headOnly)
    {
        var workbook = doc.WorkbookPart ?? throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, "a ZIP file without an Excel workbook");
        var sheet = workbook.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault()
            ?? throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, "the workbook has no sheet");
        if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
            throw new SensorExportException(SensorExportFormat.Unknown, 0, 0, "the workbook's first sheet is not a worksheet");
        var strings = SharedStrings(workbook);
        var rows = new List<(int, SheetCell[])>();
        using var reader = OpenXmlReader.Create(part);
        var cells = new List<SheetCell>();
        var lastRow = 0;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement) continue;
            var row = (Row)reader.LoadCurrentElement()!;
            var number = row.RowIndex?.Value is { } ri ? (int)ri : lastRow + 1;
            if (number <= lastRow)
                throw new SensorExportException(SensorExportFormat.Unknown, number, 0, $"sheet row {number} comes after row {lastRow}");
            lastRow = number;
            cells.Clear();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference?.Value is { } r ? ColumnOf(r, number) : cells.Count;
                if (column >= MaxColumns)
                    throw new SensorExportException(SensorExportFormat.Unknown, number, column + 1, $"more than {MaxColumns} columns");
                while (cells.Count < column) cells.Add(default);
                if (cells.Count > column)
                    throw new SensorExportException(SensorExportFormat.Unknown, number, column + 1, "a cell out of column order");
                cells.Add(Value(cell, strings, number, column));
            }
            while (cells.Count > 0 && cells[^1] == default) cells.RemoveAt(cells.Count - 1);
            if (cells.Count == 0) continue;
            if (rows.Count == maxRows)
            {
                if (headOnly) break;
                throw new SensorExportException(SensorExportFormat.Unknown, number, 0, $"more than {maxRows} rows");
            }
            rows.Add((number, cells.ToArray()));
        }
        return rows;
    }

    private static List<string> SharedStrings(WorkbookPart workbook)
    {
        var list = new List<string>();
        if (workbook.SharedStringTablePart is not { } sst) return list;
        using var reader = OpenXmlReader.Create(sst);
        while (reader.Read())
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
                list.Add(reader.LoadCurrentElement()!.InnerText);
        return list;
    }

    private static SheetCell Value(Cell cell, List<string> strings, int row, int column)
    {
        var raw = cell.CellValue?.Text;
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            if (!int.TryParse(raw, out var index) || index < 0 || index >= strings.Count)
                throw new SensorExportException(SensorExportFormat.Unknown, row, column + 1, $"shared string '{raw}' does not exist");
            return new SheetCell(null, strings[index], false);
        }
        if (type == CellValues.InlineString) return new SheetCell(null, cell.InlineString?.InnerText ?? "", false);
        if (type == CellValues.String) return new SheetCell(null, raw ?? "", false);
        if (type == CellValues.Error) return new SheetCell(null, raw, true);
        if (type == CellValues.Boolean) return new SheetCell(null, raw, false);
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
