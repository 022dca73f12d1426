namespace NirsSync.Fit;

/// <summary>FIT base types as written in definition messages (FIT protocol, "Base Types").</summary>
public enum FitBaseType : byte
{
    Enum = 0x00,
    SInt8 = 0x01,
    UInt8 = 0x02,
    SInt16 = 0x83,
    UInt16 = 0x84,
    SInt32 = 0x85,
    UInt32 = 0x86,
    String = 0x07,
    Float32 = 0x88,
    Float64 = 0x89,
    UInt8z = 0x0A,
    UInt16z = 0x8B,
    UInt32z = 0x8C,
    Byte = 0x0D,
    SInt64 = 0x8E,
    UInt64 = 0x8F,
    UInt64z = 0x90,
}

/// <summary>Size, invalid value and normalisation of base types.</summary>
public static class FitBaseTypes
{
    private static readonly FitBaseType[] ByNumber =
    [
        FitBaseType.Enum, FitBaseType.SInt8, FitBaseType.UInt8, FitBaseType.SInt16, FitBaseType.UInt16,
        FitBaseType.SInt32, FitBaseType.UInt32, FitBaseType.String, FitBaseType.Float32, FitBaseType.Float64,
        FitBaseType.UInt8z, FitBaseType.UInt16z, FitBaseType.UInt32z, FitBaseType.Byte, FitBaseType.SInt64,
        FitBaseType.UInt64, FitBaseType.UInt64z,
    ];

    /// <summary>
    /// Maps a base-type byte to its canonical value. Only the low five bits (the base type number)
    /// carry meaning; writers that forget the endian-ability bit (0x80) are accepted, as Garmin's SDKs do.
    /// </summary>
    public static bool TryNormalize(byte value, out FitBaseType type)
    {
        var number = value & 0x1F;
        if (number < ByNumber.Length)
        {
            type = ByNumber[number];
            return true;
        }
        type = default;
        return false;
    }

    /// <summary>Size in bytes of one element.</summary>
    public static int Size(this FitBaseType type) => (byte)type switch
    {
        0x83 or 0x84 or 0x8B => 2,
        0x85 or 0x86 or 0x88 or 0x8C => 4,
        0x89 or 0x8E or 0x8F or 0x90 => 8,
        _ => 1,
    };

    /// <summary>True for the integer types (every type but string and the floats).</summary>
    public static bool IsInteger(this FitBaseType type) =>
        type is not (FitBaseType.String or FitBaseType.Float32 or FitBaseType.Float64);

    /// <summary>True for the signed integer types.</summary>
    public static bool IsSigned(this FitBaseType type) =>
        type is FitBaseType.SInt8 or FitBaseType.SInt16 or FitBaseType.SInt32 or FitBaseType.SInt64;

    /// <summary>The invalid value of an integer type, as the raw unsigned bit pattern.</summary>
    public static ulong InvalidBits(this FitBaseType type) => type switch
    {
        FitBaseType.Enum or FitBaseType.UInt8 or FitBaseType.Byte => 0xFF,
        FitBaseType.SInt8 => 0x7F,
        FitBaseType.SInt16 => 0x7FFF,
        FitBaseType.UInt16 => 0xFFFF,
        FitBaseType.SInt32 => 0x7FFF_FFFF,
        FitBaseType.UInt32 or FitBaseType.Float32 => 0xFFFF_FFFF,
        FitBaseType.SInt64 => 0x7FFF_FFFF_FFFF_FFFF,
        FitBaseType.UInt64 or FitBaseType.Float64 => 0xFFFF_FFFF_FFFF_FFFF,
        _ => 0, // string, uint8z, uint16z, uint32z, uint64z
    };

    /// <summary>The name used in the FIT profile (uint16, float32, ...).</summary>
    public static string ProfileName(this FitBaseType type) => type switch
    {
        FitBaseType.UInt8z => "uint8z",
        FitBaseType.UInt16z => "uint16z",
        FitBaseType.UInt32z => "uint32z",
        FitBaseType.UInt64z => "uint64z",
        _ => type.ToString().ToLowerInvariant(),
    };
}
