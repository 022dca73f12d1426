namespace NirsSync.Fit;

/// <summary>How the decoder treats damage, and the limits it holds every input to.</summary>
public sealed record FitDecodeOptions
{
    /// <summary>Strict decoding (the default) throws <see cref="FitFormatException"/> on any damage.</summary>
    public static readonly FitDecodeOptions Strict = new();

    /// <summary>Lenient decoding keeps everything readable before the damage and reports it.</summary>
    public static readonly FitDecodeOptions Lenient = new() { IsLenient = true };

    /// <summary>
    /// When true, damage does not throw: decoding stops at the first damage (or, for a CRC mismatch,
    /// after reading everything), keeps what was read, and records the damage in the result.
    /// A limit below is not damage: exceeding one throws <see cref="FitErrorKind.LimitExceeded"/> in both modes.
    /// </summary>
    public bool IsLenient { get; init; }

    /// <summary>When false, header and file CRCs are not checked (for bytes already verified).</summary>
    public bool ValidateCrc { get; init; } = true;

    /// <summary>
    /// Most developer fields a file may describe: field_description (206) messages, chained files
    /// together. Real files describe a few dozen (the corpus at most 60, see docs/fit-codec.md).
    /// </summary>
    public int MaxDeveloperFields { get; init; } = 1_024;

    /// <summary>Most distinct definition layouts per input (a definition sent again costs nothing).</summary>
    public int MaxDefinitions { get; init; } = 10_000;

    /// <summary>Most data messages per input, records included (a 24-hour 1 Hz ride with HRV has about 300,000).</summary>
    public int MaxMessages { get; init; } = 5_000_000;

    /// <summary>Most record messages (rows of the columnar reader) per input: 2,000,000 is 23 days at 1 Hz.</summary>
    public int MaxRecordRows { get; init; } = 2_000_000;
}
