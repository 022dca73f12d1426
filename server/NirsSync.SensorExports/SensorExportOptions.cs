namespace NirsSync.SensorExports;

/// <summary>How to read an export: the athlete's clock, the upload instant, an explicit start, and limits.</summary>
public sealed record SensorExportOptions
{
    /// <summary>The athlete's time zone: the files' wall-clock times are read in it. Default UTC.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>
    /// The upload instant: a Moxy date without a year takes the year that puts the recording's start
    /// closest before it. Default: now when the file is read.
    /// </summary>
    public DateTimeOffset? Reference { get; init; }

    /// <summary>
    /// The instant of the first sample, when the file states no date (VO2 Master, PerfPro) or its clock is
    /// wrong: it wins over the file's own date.
    /// </summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Largest file accepted, in bytes (default 64 MiB, the server's upload limit).</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most data rows accepted (default 2,000,000: 55 h at 10 Hz).</summary>
    public int MaxRows { get; init; } = 2_000_000;

    /// <summary>Most uncompressed bytes an XLSX may unpack to (default 256 MiB).</summary>
    public long MaxUnpackedBytes { get; init; } = 256L * 1024 * 1024;

    public static SensorExportOptions Default { get; } = new();
}

/// <summary>
/// A file that is none of the formats, or a damaged one: <see cref="Line"/> and <see cref="Column"/>
/// (1-based; 0 when not about one place) say where, the message says what.
/// </summary>
public sealed class SensorExportException : Exception
{
    public SensorExportException(SensorExportFormat format, int line, int column, string message)
        : base(Compose(format, line, column, message))
    {
        Format = format;
        Line = line;
        Column = column;
        Reason = message;
    }

    public SensorExportException() : base("not a sensor export") { }

    public SensorExportException(string message) : base(message) { Reason = message; }

    public SensorExportException(string message, Exception inner) : base(message, inner) { Reason = message; }

    /// <summary>The format the file was read as (Unknown when it was none).</summary>
    public SensorExportFormat Format { get; }

    /// <summary>Line of a CSV, row of an XLSX sheet (1-based), 0 when the problem is the whole file.</summary>
    public int Line { get; }

    /// <summary>Column (1-based; A = 1 in a sheet), 0 when the problem is a whole line.</summary>
    public int Column { get; }

    /// <summary>The problem without the place.</summary>
    public string Reason { get; } = "";

    private static string Compose(SensorExportFormat format, int line, int column, string message)
    {
        var what = format == SensorExportFormat.Unknown ? "" : $"{format}: ";
        var place = line <= 0 ? "" : column <= 0 ? $"line {line}: " : $"line {line}, column {column}{Letters(column)}: ";
        return what + place + message;
    }

    private static string Letters(int column)
    {
        var s = "";
        for (var c = column; c > 0; c = (c - 1) / 26) s = (char)('A' + (c - 1) % 26) + s;
        return $" ({s})";
    }
}
