namespace NirsSync.Fit;

/// <summary>How the decoder treats damage.</summary>
public sealed record FitDecodeOptions
{
    /// <summary>Strict decoding (the default) throws <see cref="FitFormatException"/> on any damage.</summary>
    public static readonly FitDecodeOptions Strict = new();

    /// <summary>Lenient decoding keeps everything readable before the damage and reports it.</summary>
    public static readonly FitDecodeOptions Lenient = new() { IsLenient = true };

    /// <summary>
    /// When true, damage does not throw: decoding stops at the first damage (or, for a CRC mismatch,
    /// after reading everything), keeps what was read, and records the damage in the result.
    /// </summary>
    public bool IsLenient { get; init; }

    /// <summary>When false, header and file CRCs are not checked (for bytes already verified).</summary>
    public bool ValidateCrc { get; init; } = true;
}
