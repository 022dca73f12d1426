using System.Text;
using NirsSync.Fit;

namespace NirsSync.SensorExports;

/// <summary>
/// The entry point: tells by content (never by file name) whether bytes are a FIT file, one of the
/// sensor exports, or neither, and reads an export into a <see cref="SensorExport"/>.
/// </summary>
public static class SensorExportReader
{
    /// <summary>True for the export formats this library reads (not FIT, not Unknown).</summary>
    public static bool IsExport(this SensorExportFormat format) => format is not (SensorExportFormat.Unknown or SensorExportFormat.Fit);

    /// <summary>What <paramref name="content"/> is. XLSX needs the whole file; text formats are told from their first lines.</summary>
    public static SensorExportFormat Detect(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty) return SensorExportFormat.Unknown;
        if (FitHeader.LooksLikeFit(content)) return SensorExportFormat.Fit;
        if (XlsxReader.LooksLikeZip(content))
        {
            try
            {
                return DetectSheet(new SheetRows(XlsxReader.Read(content.ToArray(), SensorExportOptions.Default, 40, headOnly: true),
                    SensorExportFormat.Unknown));
            }
            catch (SensorExportException) { return SensorExportFormat.Unknown; }
        }
        var head = content[..Math.Min(content.Length, 64 * 1024)];
        if (head.Contains((byte)0)) return SensorExportFormat.Unknown;
        return DetectText(Decode(head));
    }

    /// <summary>
    /// Reads <paramref name="stream"/> (at most <see cref="SensorExportOptions.MaxBytes"/>) and tells what it is;
    /// true when it is an export this library reads. A seekable stream is put back where it was.
    /// </summary>
    public static bool TryDetect(Stream stream, out SensorExportFormat format, SensorExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var position = stream.CanSeek ? stream.Position : -1;
        try
        {
            format = Detect(ReadAll(stream, (options ?? SensorExportOptions.Default).MaxBytes));
        }
        catch (SensorExportException)
        {
            format = SensorExportFormat.Unknown;
        }
        if (position >= 0) stream.Position = position;
        return format.IsExport();
    }

    /// <summary>Reads an export from <paramref name="stream"/>.</summary>
    /// <exception cref="SensorExportException">Not an export (a FIT file, or none of the formats), too large, or damaged: the message names the line and column.</exception>
    public static SensorExport Read(Stream stream, SensorExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var o = options ?? SensorExportOptions.Default;
        return Read(ReadAll(stream, o.MaxBytes), o);
    }

    /// <summary>Reads an export from its bytes.</summary>
    /// <exception cref="SensorExportException">Not an export, too large, or damaged.</exception>
    public static SensorExport Read(byte[] content, SensorExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var o = options ?? SensorExportOptions.Default;
        if (content.Length > o.MaxBytes)
            throw new SensorExportException($"the file has {content.Length} bytes, more than the limit of {o.MaxBytes}");
        // An XLSX is unpacked once: the rows read tell the format and are then read as it.
        if (XlsxReader.LooksLikeZip(content)) return ReadWorkbook(content, o);
        var format = Detect(content);
        switch (format)
        {
            case SensorExportFormat.Fit:
                throw new SensorExportException("a FIT file, not a sensor export: read it with the FIT reader");
            case SensorExportFormat.Unknown:
                throw new SensorExportException(
                    "not a sensor export this reader knows (Moxy CSV/XLSX, Train.Red CSV, VO2 Master Manager CSV, PerfPRO Studio XLSX) and not a FIT file");
        }
        var text = Decode(content);
        var rows = new CsvRows(text, format);
        return format switch
        {
            SensorExportFormat.MoxyCsv => MoxyReader.Read(rows, o),
            SensorExportFormat.TrainRedCsv => TrainRedReader.Read(rows, o, CountLines(content)),
            SensorExportFormat.Vo2MasterCsv => Vo2MasterReader.Read(rows, o),
            _ => throw new SensorExportException($"no reader for {format}"),
        };
    }

    private static SensorExport ReadWorkbook(byte[] content, SensorExportOptions o)
    {
        List<(int Row, SheetCell[] Cells)> sheet;
        try
        {
            sheet = XlsxReader.Read(content, o, o.MaxRows + 64);
        }
        catch (SensorExportException e) when (e.Line == 0)
        {
            throw new SensorExportException(
                $"not a sensor export this reader knows (Moxy XLSX, PerfPRO Studio XLSX): {e.Reason}", e);
        }
        var format = DetectSheet(new SheetRows(sheet, SensorExportFormat.Unknown));
        if (format == SensorExportFormat.Unknown)
            throw new SensorExportException(
                "not a sensor export this reader knows: a workbook, but neither a Moxy export (header mm-dd, hh:mm:ss, SmO2 Live) nor PerfPRO Studio");
        var rows = new SheetRows(sheet, format);
        return format == SensorExportFormat.MoxyXlsx ? MoxyReader.Read(rows, o) : PerfProReader.Read(rows, o);
    }

    private static SensorExportFormat DetectSheet(SheetRows rows)
    {
        var head = rows.Head(40).ToList();
        if (head.Count > 0 && head[0].Length > 0 && PerfProReader.IsTitle(head[0][0])) return SensorExportFormat.PerfProXlsx;
        foreach (var r in head)
            if (r.Length >= 3 && MoxyReader.IsHeader(r[0], r[1]) && r.Skip(2).Any(x => x.StartsWith("SmO2", StringComparison.OrdinalIgnoreCase)))
                return SensorExportFormat.MoxyXlsx;
        return SensorExportFormat.Unknown;
    }

    private static SensorExportFormat DetectText(string text)
    {
        var lines = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.TrimStart('\uFEFF');
            if (lines == 0)
            {
                if (line.StartsWith("Train.Red Export", StringComparison.OrdinalIgnoreCase)) return SensorExportFormat.TrainRedCsv;
                if (Vo2MasterReader.IsHeader(line)) return SensorExportFormat.Vo2MasterCsv;
            }
            if (line.StartsWith(TrainRedReader.TimestampHeader + ",", StringComparison.OrdinalIgnoreCase)) return SensorExportFormat.TrainRedCsv;
            var comma = line.IndexOf(',');
            if (comma > 0)
            {
                var rest = line[(comma + 1)..];
                var second = rest.IndexOf(',') is var c2 && c2 >= 0 ? rest[..c2] : rest;
                if (MoxyReader.IsHeader(line[..comma], second) && rest.Contains("SmO2", StringComparison.OrdinalIgnoreCase))
                    return SensorExportFormat.MoxyCsv;
            }
            if (++lines == 200) break;
        }
        return SensorExportFormat.Unknown;
    }

    private static readonly UTF8Encoding Utf8 = new(false, false);

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\xEF\xBB\xBF"u8)) bytes = bytes[3..];
        return Utf8.GetString(bytes);
    }

    private static int CountLines(ReadOnlySpan<byte> bytes) => bytes.Count((byte)'\n') + 1;

    private static byte[] ReadAll(Stream stream, long max)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > max) throw new SensorExportException($"the file is larger than the limit of {max} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
