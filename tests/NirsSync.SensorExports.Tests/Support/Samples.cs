using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace NirsSync.SensorExports.Tests;

/// <summary>An Excel error cell (#N/A, #DIV/0!) in <see cref="Samples.Xlsx"/>.</summary>
internal sealed record XlsxError(string Code);

/// <summary>An inline-string cell in <see cref="Samples.Xlsx"/>.</summary>
internal sealed record XlsxInline(string Text);

/// <summary>The real exports in ../shared/sensor-exports, found by walking up to the directory holding NirsSync.sln.</summary>
internal static class Samples
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NirsSync.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException($"NirsSync.sln not found above {AppContext.BaseDirectory}");
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "sensor-exports"));
    }

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Root, name));

    public static TimeZoneInfo Berlin { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>An XLSX with one sheet: numbers (double/int) as number cells, strings as shared strings, null as no cell.</summary>
    public static byte[] Xlsx(IEnumerable<object?[]> rows)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var ws = wb.AddNewPart<WorksheetPart>();
            var strings = new List<string>();
            var data = new SheetData();
            var r = 0;
            foreach (var row in rows)
            {
                r++;
                var xr = new Row { RowIndex = (uint)r };
                for (var c = 0; c < row.Length; c++)
                {
                    var reference = $"{(char)('A' + c)}{r}";
                    switch (row[c])
                    {
                        case null: break;
                        case XlsxError err:
                            xr.Append(new Cell { CellReference = reference, DataType = CellValues.Error, CellValue = new CellValue(err.Code) });
                            break;
                        case XlsxInline inl:
                            xr.Append(new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(inl.Text)) });
                            break;
                        case string s:
                            var i = strings.IndexOf(s);
                            if (i < 0) { strings.Add(s); i = strings.Count - 1; }
                            xr.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(i) });
                            break;
                        case IConvertible n:
                            xr.Append(new Cell { CellReference = reference, CellValue = new CellValue(Convert.ToDouble(n, System.Globalization.CultureInfo.InvariantCulture)) });
                            break;
                    }
                }
                data.Append(xr);
            }
            ws.Worksheet = new Worksheet(data);
            var sst = wb.AddNewPart<SharedStringTablePart>();
            sst.SharedStringTable = new SharedStringTable(strings.Select(s => new SharedStringItem(new Text(s))));
            wb.Workbook.AppendChild(new Sheets(new Sheet { Id = wb.GetIdOfPart(ws), SheetId = 1, Name = "Sheet1" }));
        }
        return stream.ToArray();
    }
}
