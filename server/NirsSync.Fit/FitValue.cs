using System.Buffers.Binary;
using System.Text;

namespace NirsSync.Fit;

/// <summary>
/// A field's stored bytes with their base type and byte order: the raw value, before scale and
/// offset. Values are read on demand from the decoded file's buffer, so a message costs no
/// allocation per field. Invalid values follow the FIT base-type rules: an element equal to its
/// type's invalid value is invalid; a byte array is invalid only when every byte is 0xFF; a string
/// is invalid when empty. A field whose size is not a multiple of its base type's size is kept
/// (see <see cref="Bytes"/>) but has no valid value, as in Garmin's SDKs.
/// </summary>
public readonly struct FitValue
{
    private readonly byte[] _buffer;
    private readonly int _offset;

    internal FitValue(byte[] buffer, int offset, int size, FitBaseType baseType, bool bigEndian)
    {
        _buffer = buffer;
        _offset = offset;
        Size = size;
        BaseType = baseType;
        BigEndian = bigEndian;
    }

    public int Size { get; }
    public FitBaseType BaseType { get; }
    public bool BigEndian { get; }

    /// <summary>The bytes as stored in the file.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer is null ? default : _buffer.AsSpan(_offset, Size);

    /// <summary>True when the size is a whole, non-zero number of elements.</summary>
    public bool IsAligned => Size > 0 && Size % BaseType.Size() == 0;

    /// <summary>Number of elements (0 when misaligned). Strings count as one element.</summary>
    public int Count => !IsAligned ? 0 : BaseType == FitBaseType.String ? 1 : Size / BaseType.Size();

    /// <summary>True when the value holds at least one valid element.</summary>
    public bool IsValid
    {
        get
        {
            if (!IsAligned) return false;
            if (BaseType == FitBaseType.String) return GetStrings().Length > 0;
            if (BaseType == FitBaseType.Byte) return Bytes.ContainsAnyExcept((byte)0xFF);
            for (var i = 0; i < Count; i++) if (IsElementValid(i)) return true;
            return false;
        }
    }

    /// <summary>The raw bits of element <paramref name="index"/>, zero-extended.</summary>
    public ulong GetBits(int index = 0)
    {
        var size = BaseType.Size();
        var s = Bytes.Slice(index * size, size);
        return size switch
        {
            1 => s[0],
            2 => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s),
            4 => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s),
            _ => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s),
        };
    }

    /// <summary>True when element <paramref name="index"/> is not its type's invalid value.</summary>
    public bool IsElementValid(int index)
    {
        if (!IsAligned || index >= Count) return false;
        if (BaseType == FitBaseType.Byte) return IsValid;
        if (BaseType == FitBaseType.String) return GetStrings().Length > 0;
        return GetBits(index) != BaseType.InvalidBits();
    }

    /// <summary>Element <paramref name="index"/> as a signed integer (sign-extended for signed types).</summary>
    public long GetInt64(int index = 0)
    {
        var bits = GetBits(index);
        return BaseType switch
        {
            FitBaseType.SInt8 => (sbyte)bits,
            FitBaseType.SInt16 => (short)bits,
            FitBaseType.SInt32 => (int)bits,
            _ => (long)bits,
        };
    }

    /// <summary>Element <paramref name="index"/> as a number: integers converted, floats as stored.</summary>
    public double GetDouble(int index = 0) => BaseType switch
    {
        FitBaseType.Float32 => BitConverter.Int32BitsToSingle((int)GetBits(index)),
        FitBaseType.Float64 => BitConverter.Int64BitsToDouble((long)GetBits(index)),
        FitBaseType.UInt64 or FitBaseType.UInt64z => GetBits(index),
        _ => GetInt64(index),
    };

    /// <summary>Element <paramref name="index"/> as a number, or null when invalid.</summary>
    public double? GetDoubleOrNull(int index = 0) => IsElementValid(index) ? GetDouble(index) : null;

    /// <summary>The strings of a string field: split at NUL, trailing empty strings removed.</summary>
    public string[] GetStrings()
    {
        if (BaseType != FitBaseType.String || Size == 0) return [];
        var text = Encoding.UTF8.GetString(Bytes);
        if (text.Contains('\uFFFD')) text = text.Replace("\uFFFD", "", StringComparison.Ordinal);
        var parts = text.Split('\0');
        var count = parts.Length;
        while (count > 0 && parts[count - 1].Length == 0) count--;
        return count == parts.Length ? parts : parts[..count];
    }

    /// <summary>The first string of a string field, or null.</summary>
    public string? GetString()
    {
        var s = GetStrings();
        return s.Length == 0 ? null : s[0];
    }

    /// <summary>
    /// The raw value as a plain object: null when invalid; a scalar (long, ulong, float, double) for
    /// one element; the first string for a string field (what follows its NUL terminator is padding),
    /// or with <paramref name="allStrings"/> every string of a string array (developer fields); an array for several (invalid elements as null, except in byte arrays).
    /// </summary>
    public object? ToObject(bool allStrings = false)
    {
        if (!IsValid) return null;
        if (BaseType == FitBaseType.String)
        {
            if (!allStrings) return GetString();
            var strings = GetStrings();
            return strings.Length == 1 ? strings[0] : strings;
        }
        if (Count == 1) return Element(0);
        var values = new object?[Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = BaseType == FitBaseType.Byte || IsElementValid(i) ? Element(i) : null;
        return values;
    }

    /// <summary>Element <paramref name="i"/> as <see cref="ToObject"/> gives elements: null when invalid (bytes never are).</summary>
    internal object? ElementOrNull(int i) => BaseType == FitBaseType.Byte || IsElementValid(i) ? Element(i) : null;

    private object Element(int i) => BaseType switch
    {
        FitBaseType.Float32 => (object)BitConverter.Int32BitsToSingle((int)GetBits(i)),
        FitBaseType.Float64 => (object)BitConverter.Int64BitsToDouble((long)GetBits(i)),
        FitBaseType.UInt64 or FitBaseType.UInt64z => (object)GetBits(i),
        _ => (object)GetInt64(i),
    };

    public override string ToString() => ToObject() switch
    {
        null => "(invalid)",
        string[] s => "[" + string.Join(", ", s) + "]",
        object?[] a => "[" + string.Join(", ", a.Select(x => x?.ToString() ?? "null")) + "]",
        var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
