using System.Buffers.Binary;

namespace NirsSync.Fit;

/// <summary>A FIT file header (FIT protocol, "File Header"): 12 or 14 bytes.</summary>
public readonly record struct FitHeader(
    byte HeaderSize,
    byte ProtocolVersion,
    ushort ProfileVersion,
    uint DataSize,
    ushort? HeaderCrc)
{
    /// <summary>Protocol major version (high nibble).</summary>
    public int ProtocolMajor => ProtocolVersion >> 4;

    /// <summary>Protocol minor version (low nibble).</summary>
    public int ProtocolMinor => ProtocolVersion & 0x0F;

    /// <summary>
    /// Parses the header at <paramref name="offset"/>. Throws <see cref="FitFormatException"/> when the
    /// bytes are not a FIT header or the header CRC is wrong (0x0000 means "not computed" and is accepted).
    /// </summary>
    internal static FitHeader Parse(ReadOnlySpan<byte> input, int offset)
    {
        var remaining = input.Length - offset;
        if (remaining < 1)
            throw new FitFormatException(FitErrorKind.UnexpectedEnd, offset, "no header");
        var size = input[offset];
        if (size is not (12 or 14))
            throw new FitFormatException(FitErrorKind.BadHeader, offset, $"header size {size}, expected 12 or 14");
        if (remaining < size)
            throw new FitFormatException(FitErrorKind.UnexpectedEnd, offset, $"{remaining} bytes left for a {size}-byte header");
        var h = input.Slice(offset, size);
        if (h[8] != '.' || h[9] != 'F' || h[10] != 'I' || h[11] != 'T')
            throw new FitFormatException(FitErrorKind.BadHeader, offset + 8,
                $"data type \"{Printable(h.Slice(8, 4))}\", expected \".FIT\"");
        ushort? crc = null;
        if (size == 14)
        {
            crc = BinaryPrimitives.ReadUInt16LittleEndian(h[12..]);
            if (crc != 0)
            {
                var actual = Crc16.Compute(h[..12]);
                if (actual != crc)
                    throw new FitFormatException(FitErrorKind.HeaderCrcMismatch, offset + 12,
                        $"header CRC 0x{crc:X4}, computed 0x{actual:X4}");
            }
        }
        return new FitHeader(size, h[1], BinaryPrimitives.ReadUInt16LittleEndian(h[2..]),
            BinaryPrimitives.ReadUInt32LittleEndian(h[4..]), crc);
    }

    /// <summary>True when <paramref name="input"/> starts like a FIT file (size byte and ".FIT").</summary>
    public static bool LooksLikeFit(ReadOnlySpan<byte> input) =>
        input.Length >= 12 && input[0] is 12 or 14 && input.Length >= input[0]
        && input[8] == '.' && input[9] == 'F' && input[10] == 'I' && input[11] == 'T';

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = bytes[i] is >= 32 and < 127 ? (char)bytes[i] : '?';
        return new string(chars);
    }
}
