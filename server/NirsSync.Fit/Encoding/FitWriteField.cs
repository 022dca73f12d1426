using System.Buffers.Binary;
using System.Text;

namespace NirsSync.Fit;

/// <summary>
/// A field value to encode: number, base type and raw value(s) as stored (scale and offset already
/// applied by the caller). Strings are written UTF-8 with a NUL terminator, padded to
/// <see cref="Size"/> when one is given.
/// </summary>
public readonly struct FitWriteField
{
    private readonly object _value;

    private FitWriteField(byte number, FitBaseType type, object value, int size)
    {
        Number = number;
        Type = type;
        _value = value;
        Size = size;
    }

    public byte Number { get; }
    public FitBaseType Type { get; }

    /// <summary>Encoded size in bytes.</summary>
    public int Size { get; }

    public static FitWriteField Integer(byte number, FitBaseType type, long value) =>
        type.IsInteger() && type != FitBaseType.String
            ? new(number, type, new[] { unchecked((ulong)value) }, type.Size())
            : throw new ArgumentException($"{type} is not an integer base type", nameof(type));

    public static FitWriteField Unsigned(byte number, FitBaseType type, ulong value) =>
        Integer(number, type, unchecked((long)value));

    public static FitWriteField Integers(byte number, FitBaseType type, IReadOnlyList<long> values)
    {
        if (!type.IsInteger() || values.Count == 0 || values.Count * type.Size() > 255)
            throw new ArgumentException($"an array of 1 to {255 / type.Size()} {type} values is required", nameof(values));
        return new(number, type, values.Select(v => unchecked((ulong)v)).ToArray(), values.Count * type.Size());
    }

    public static FitWriteField Float32(byte number, float value) => new(number, FitBaseType.Float32, new[] { (double)value }, 4);
    public static FitWriteField Float64(byte number, double value) => new(number, FitBaseType.Float64, new[] { value }, 8);

    public static FitWriteField Floats(byte number, FitBaseType type, IReadOnlyList<double> values)
    {
        if (type is not (FitBaseType.Float32 or FitBaseType.Float64) || values.Count == 0 || values.Count * type.Size() > 255)
            throw new ArgumentException("an array of float32 or float64 values is required", nameof(values));
        return new(number, type, values.ToArray(), values.Count * type.Size());
    }

    /// <summary>A string field; <paramref name="size"/> pads it (0 = just long enough).</summary>
    public static FitWriteField String(byte number, string value, int size = 0)
    {
        var bytes = Encoding.UTF8.GetByteCount(value) + 1;
        if (size == 0) size = bytes;
        if (size < bytes || size > 255)
            throw new ArgumentException($"string \"{value}\" needs {bytes} bytes, field size is {size}", nameof(size));
        return new(number, FitBaseType.String, value, size);
    }

    /// <summary>A byte array field (base type byte).</summary>
    public static FitWriteField Bytes(byte number, ReadOnlySpan<byte> value) =>
        value.Length is 0 or > 255
            ? throw new ArgumentException("1 to 255 bytes are required", nameof(value))
            : new(number, FitBaseType.Byte, value.ToArray(), value.Length);

    /// <summary>A field stored as the invalid value of its type (one element).</summary>
    public static FitWriteField Invalid(byte number, FitBaseType type) => type switch
    {
        FitBaseType.String => new(number, type, "", 1),
        FitBaseType.Float32 or FitBaseType.Float64 => new(number, type, new[] { double.NaN }, type.Size()),
        _ => new(number, type, new[] { type.InvalidBits() }, type.Size()),
    };

    internal void Write(Span<byte> destination, bool bigEndian)
    {
        switch (_value)
        {
            case string s:
                destination[..Size].Clear();
                Encoding.UTF8.GetBytes(s, destination);
                break;
            case byte[] b:
                b.CopyTo(destination);
                break;
            case ulong[] integers:
                for (var i = 0; i < integers.Length; i++)
                    WriteBits(destination[(i * Type.Size())..], integers[i], Type.Size(), bigEndian);
                break;
            case double[] floats:
                for (var i = 0; i < floats.Length; i++)
                {
                    var d = destination[(i * Type.Size())..];
                    if (Type == FitBaseType.Float32)
                        WriteBits(d, double.IsNaN(floats[i]) ? 0xFFFF_FFFF : BitConverter.SingleToUInt32Bits((float)floats[i]), 4, bigEndian);
                    else
                        WriteBits(d, double.IsNaN(floats[i]) ? ulong.MaxValue : BitConverter.DoubleToUInt64Bits(floats[i]), 8, bigEndian);
                }
                break;
        }
    }

    private static void WriteBits(Span<byte> d, ulong bits, int size, bool bigEndian)
    {
        switch (size)
        {
            case 1: d[0] = (byte)bits; break;
            case 2:
                if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(d, (ushort)bits);
                else BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)bits);
                break;
            case 4:
                if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(d, (uint)bits);
                else BinaryPrimitives.WriteUInt32LittleEndian(d, (uint)bits);
                break;
            default:
                if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(d, bits);
                else BinaryPrimitives.WriteUInt64LittleEndian(d, bits);
                break;
        }
    }
}

/// <summary>A developer field value to encode: the field's developer data index plus its value.</summary>
public readonly record struct FitWriteDeveloperField(byte DeveloperDataIndex, FitWriteField Field);
