namespace NirsSync.Fit;

/// <summary>What was wrong with a FIT file.</summary>
public enum FitErrorKind
{
    /// <summary>The header is shorter than 12 bytes, has an unknown size, or lacks ".FIT".</summary>
    BadHeader,
    /// <summary>The 14-byte header's CRC does not match.</summary>
    HeaderCrcMismatch,
    /// <summary>The file CRC does not match the header and records.</summary>
    FileCrcMismatch,
    /// <summary>The input ends before the header's data size, a message or the CRC.</summary>
    UnexpectedEnd,
    /// <summary>A data message uses a local message type that has no definition.</summary>
    UndefinedLocalType,
    /// <summary>A definition message is malformed (unknown base type, bad architecture, sizes).</summary>
    BadDefinition,
    /// <summary>Bytes follow the last file in the input that are not a FIT file.</summary>
    TrailingGarbage,
    /// <summary>
    /// The input goes past one of the limits of <see cref="FitDecodeOptions"/> (developer fields, definitions,
    /// messages, record rows); <see cref="FitFormatException.Limit"/> names it. Thrown in lenient mode too.
    /// </summary>
    LimitExceeded,
}

/// <summary>
/// The one exception the FIT decoder throws for corrupt input. It names the byte offset, counted
/// from the start of the input, at which the problem was found and what was wrong.
/// </summary>
public sealed class FitFormatException : Exception
{
    public FitFormatException(FitErrorKind kind, long offset, string detail)
        : base($"FIT {Describe(kind)} at byte {offset}: {detail}")
    {
        Kind = kind;
        Offset = offset;
        Detail = detail;
    }

    /// <summary>A <see cref="FitErrorKind.LimitExceeded"/> error: <paramref name="limit"/> is the option's name.</summary>
    public FitFormatException(string limit, int value, long offset, string what)
        : this(FitErrorKind.LimitExceeded, offset, $"more than {value:N0} {what} (FitDecodeOptions.{limit})")
    {
        Limit = limit;
    }

    /// <summary>For <see cref="FitErrorKind.LimitExceeded"/>: the <see cref="FitDecodeOptions"/> property exceeded
    /// (MaxDeveloperFields, MaxDefinitions, MaxMessages or MaxRecordRows); otherwise null.</summary>
    public string? Limit { get; }

    /// <summary>The category of damage.</summary>
    public FitErrorKind Kind { get; }

    /// <summary>Byte offset from the start of the input where the damage was found.</summary>
    public long Offset { get; }

    /// <summary>What was wrong, without the offset.</summary>
    public string Detail { get; }

    private static string Describe(FitErrorKind kind) => kind switch
    {
        FitErrorKind.BadHeader => "bad header",
        FitErrorKind.HeaderCrcMismatch => "header CRC mismatch",
        FitErrorKind.FileCrcMismatch => "file CRC mismatch",
        FitErrorKind.UnexpectedEnd => "unexpected end of data",
        FitErrorKind.UndefinedLocalType => "undefined local message type",
        FitErrorKind.BadDefinition => "bad definition message",
        FitErrorKind.TrailingGarbage => "trailing bytes",
        FitErrorKind.LimitExceeded => "limit exceeded",
        _ => kind.ToString(),
    };
}

/// <summary>Damage found while decoding in lenient mode.</summary>
public sealed record FitDamage(FitErrorKind Kind, long Offset, string Detail)
{
    public override string ToString() => $"{Kind} at byte {Offset}: {Detail}";

    internal static FitDamage From(FitFormatException e) => new(e.Kind, e.Offset, e.Detail);

    /// <summary>An exception carrying this damage, for callers that want to throw it.</summary>
    public FitFormatException ToException() => new(Kind, Offset, Detail);
}
