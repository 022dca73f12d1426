using System.Buffers.Binary;

namespace NirsSync.Fit;

/// <summary>
/// Encodes FIT files: a 14-byte header (protocol 2.0) with its CRC, definition messages emitted
/// automatically whenever a message's layout has no local type yet (16 local types reused
/// least-recently-defined first), data messages, developer data ids, field descriptions and
/// developer fields, and the file CRC. <see cref="ToArray"/> finishes the file.
/// </summary>
public sealed class FitWriter
{
    private readonly MemoryStream _records = new();
    private readonly Dictionary<int, FitBaseType> _developerTypes = [];
    private readonly bool _bigEndian;
    private readonly ushort _profileVersion;
    private int _nextLocal;
    private readonly string?[] _slots = new string?[16];
    private readonly byte[] _scratch = new byte[1 + 255 * 3 + 255 * 3];

    /// <param name="bigEndian">Write architecture 1 (big-endian) definitions and values.</param>
    /// <param name="profileVersion">Profile version in the header (21.158 = 2158).</param>
    public FitWriter(bool bigEndian = false, ushort profileVersion = 2158)
    {
        _bigEndian = bigEndian;
        _profileVersion = profileVersion;
    }

    /// <summary>Number of data messages written.</summary>
    public int MessageCount { get; private set; }

    /// <summary>Writes a data message.</summary>
    public FitWriter Write(ushort globalNumber, IReadOnlyList<FitWriteField> fields,
        IReadOnlyList<FitWriteDeveloperField>? developerFields = null)
    {
        developerFields ??= [];
        if (fields.Count > 255 || developerFields.Count > 255)
            throw new ArgumentException("a message holds at most 255 fields and 255 developer fields");
        foreach (var d in developerFields)
        {
            if (!_developerTypes.TryGetValue(d.DeveloperDataIndex << 8 | d.Field.Number, out var type))
                throw new InvalidOperationException(
                    $"developer field {d.DeveloperDataIndex}:{d.Field.Number} has no field description yet");
            if (type != d.Field.Type)
                throw new ArgumentException(
                    $"developer field {d.DeveloperDataIndex}:{d.Field.Number} is described as {type}, value is {d.Field.Type}");
        }
        var local = LocalTypeFor(globalNumber, fields, developerFields);
        var size = 1;
        foreach (var f in fields) size += f.Size;
        foreach (var d in developerFields) size += d.Field.Size;
        var buffer = size <= _scratch.Length ? _scratch.AsSpan(0, size) : new byte[size];
        buffer[0] = (byte)local;
        var at = 1;
        foreach (var f in fields)
        {
            f.Write(buffer[at..], _bigEndian);
            at += f.Size;
        }
        foreach (var d in developerFields)
        {
            d.Field.Write(buffer[at..], _bigEndian);
            at += d.Field.Size;
        }
        _records.Write(buffer);
        MessageCount++;
        if (globalNumber == FitProfile.FieldDescription) RememberDescription(fields);
        return this;
    }

    /// <summary>Writes a data message with no developer fields.</summary>
    public FitWriter Write(ushort globalNumber, params FitWriteField[] fields) => Write(globalNumber, fields, null);

    /// <summary>Writes a developer_data_id message (207).</summary>
    public FitWriter WriteDeveloperDataId(byte developerDataIndex, ReadOnlySpan<byte> applicationId,
        uint applicationVersion = 1, ReadOnlySpan<byte> developerId = default, ushort? manufacturerId = null)
    {
        var fields = new List<FitWriteField>();
        if (!developerId.IsEmpty) fields.Add(FitWriteField.Bytes(0, developerId));
        if (!applicationId.IsEmpty) fields.Add(FitWriteField.Bytes(1, applicationId));
        if (manufacturerId is { } m) fields.Add(FitWriteField.Integer(2, FitBaseType.UInt16, m));
        fields.Add(FitWriteField.Integer(3, FitBaseType.UInt8, developerDataIndex));
        fields.Add(FitWriteField.Integer(4, FitBaseType.UInt32, applicationVersion));
        return Write(FitProfile.DeveloperDataId, fields);
    }

    /// <summary>Writes a field_description message (206) defining a developer field.</summary>
    public FitWriter WriteFieldDescription(byte developerDataIndex, byte fieldNumber, FitBaseType type, string name,
        string? units = null, ushort? nativeMessage = null, byte? nativeField = null, byte? scale = null, sbyte? offset = null)
    {
        var fields = new List<FitWriteField>
        {
            FitWriteField.Integer(0, FitBaseType.UInt8, developerDataIndex),
            FitWriteField.Integer(1, FitBaseType.UInt8, fieldNumber),
            FitWriteField.Integer(2, FitBaseType.UInt8, (byte)type),
            FitWriteField.String(3, name),
        };
        if (scale is { } s) fields.Add(FitWriteField.Integer(6, FitBaseType.UInt8, s));
        if (offset is { } o) fields.Add(FitWriteField.Integer(7, FitBaseType.SInt8, o));
        if (units is not null) fields.Add(FitWriteField.String(8, units));
        if (nativeMessage is { } nm) fields.Add(FitWriteField.Integer(14, FitBaseType.UInt16, nm));
        if (nativeField is { } nf) fields.Add(FitWriteField.Integer(15, FitBaseType.UInt8, nf));
        return Write(FitProfile.FieldDescription, fields);
    }

    /// <summary>The finished file: header with data size and CRC, records, file CRC.</summary>
    public byte[] ToArray()
    {
        var dataSize = checked((int)_records.Length);
        var file = new byte[14 + dataSize + 2];
        file[0] = 14;
        file[1] = 0x20; // protocol 2.0
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(2), _profileVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)dataSize);
        ".FIT"u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(12), Crc16.Compute(file.AsSpan(0, 12)));
        _records.GetBuffer().AsSpan(0, dataSize).CopyTo(file.AsSpan(14));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(14 + dataSize), Crc16.Compute(file.AsSpan(0, 14 + dataSize)));
        return file;
    }

    private void RememberDescription(IReadOnlyList<FitWriteField> fields)
    {
        byte? index = null, number = null, type = null;
        Span<byte> one = stackalloc byte[8];
        foreach (var f in fields)
        {
            if (f.Size != 1 || f.Type == FitBaseType.String) continue;
            f.Write(one, false);
            if (f.Number == 0) index = one[0];
            else if (f.Number == 1) number = one[0];
            else if (f.Number == 2) type = one[0];
        }
        if (index is { } i && number is { } n && type is { } t && FitBaseTypes.TryNormalize(t, out var baseType))
            _developerTypes[i << 8 | n] = baseType;
    }

    private int LocalTypeFor(ushort global, IReadOnlyList<FitWriteField> fields, IReadOnlyList<FitWriteDeveloperField> developer)
    {
        var layout = Layout(global, fields, developer);
        var existing = Array.IndexOf(_slots, layout);
        if (existing >= 0) return existing;
        var local = _nextLocal;
        _nextLocal = (_nextLocal + 1) % 16;
        _slots[local] = layout;
        WriteDefinition(local, global, fields, developer);
        return local;
    }

    private static string Layout(ushort global, IReadOnlyList<FitWriteField> fields, IReadOnlyList<FitWriteDeveloperField> developer)
    {
        var sb = new System.Text.StringBuilder(8 + 6 * (fields.Count + developer.Count));
        sb.Append(global).Append(':');
        foreach (var f in fields) sb.Append(f.Number).Append(',').Append(f.Size).Append(',').Append((byte)f.Type).Append(';');
        sb.Append('|');
        foreach (var d in developer) sb.Append(d.Field.Number).Append(',').Append(d.Field.Size).Append(',').Append(d.DeveloperDataIndex).Append(';');
        return sb.ToString();
    }

    private void WriteDefinition(int local, ushort global, IReadOnlyList<FitWriteField> fields,
        IReadOnlyList<FitWriteDeveloperField> developer)
    {
        var hasDeveloper = developer.Count > 0;
        var d = new byte[6 + 3 * fields.Count + (hasDeveloper ? 1 + 3 * developer.Count : 0)];
        d[0] = (byte)(0x40 | (hasDeveloper ? 0x20 : 0) | local);
        d[2] = (byte)(_bigEndian ? 1 : 0);
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(3), global);
        else BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(3), global);
        d[5] = (byte)fields.Count;
        var at = 6;
        foreach (var f in fields)
        {
            d[at++] = f.Number;
            d[at++] = (byte)f.Size;
            d[at++] = (byte)f.Type;
        }
        if (hasDeveloper)
        {
            d[at++] = (byte)developer.Count;
            foreach (var f in developer)
            {
                d[at++] = f.Field.Number;
                d[at++] = (byte)f.Field.Size;
                d[at++] = f.DeveloperDataIndex;
            }
        }
        _records.Write(d);
    }
}
