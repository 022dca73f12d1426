using System.Buffers.Binary;
using System.Text;

namespace NirsSync.Fit.Synthetic;

/// <summary>The hostile shapes of issue 12, generated at a chosen size for memory tests and benches.</summary>
public enum HostileShape
{
    /// <summary>254 developer fields on a record layout used by a few records, then many one-byte records.</summary>
    ManyDeveloperFields,
    /// <summary>Like <see cref="ManyDeveloperFields"/>, every field named as a muscle-oxygen sensor of its own.</summary>
    ManyMuscleOxygenFields,
    /// <summary>One definition with no fields, then one-byte data messages (hrv, 78) to the size.</summary>
    EmptyMessages,
    /// <summary>One-byte record messages (a record layout with no fields) to the size.</summary>
    EmptyRecords,
    /// <summary>The same field_description (206) message repeated to the size.</summary>
    RepeatedDescriptions,
    /// <summary>A header declaring about 2 GB of data, followed by ordinary records to the size.</summary>
    HugeDeclaredSize,
    /// <summary>Chained files of a header, one definition and one record each, to the size.</summary>
    ChainedHeaders,
    /// <summary>New definitions of 255 fields each, one record each, to the size.</summary>
    ManyDefinitions,
}

/// <summary>
/// Builds FIT inputs of the hostile shapes seen in issue 12 byte by byte (the encoder refuses some of
/// them). Each is well formed (header and file CRCs right) unless its shape is about a bad header.
/// </summary>
public static class HostileFit
{
    /// <summary>Builds a file of <paramref name="shape"/> of about <paramref name="size"/> bytes.</summary>
    public static byte[] Generate(HostileShape shape, int size) => shape switch
    {
        HostileShape.ManyDeveloperFields => ManyDeveloperFields(size, 254),
        HostileShape.ManyMuscleOxygenFields => ManyDeveloperFields(size, 254, "SmO2 sensor "),
        HostileShape.EmptyMessages => EmptyMessages(size, 78),
        HostileShape.EmptyRecords => EmptyMessages(size, FitProfile.Record),
        HostileShape.RepeatedDescriptions => RepeatedDescriptions(size),
        HostileShape.HugeDeclaredSize => HugeDeclaredSize(size),
        HostileShape.ChainedHeaders => ChainedHeaders(size),
        HostileShape.ManyDefinitions => ManyDefinitions(size),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>
    /// A developer_data_id, <paramref name="fields"/> uint8 field descriptions, a record carrying all of them at
    /// the start and at the end, and one-byte records in between: every developer field spans every row.
    /// </summary>
    public static byte[] ManyDeveloperFields(int size, int fields, string name = "field_")
    {
        var b = new Body();
        DeveloperDataId(b, 0);
        for (var i = 0; i < fields; i++) FieldDescription(b, 0, (byte)i, FitBaseType.UInt8, $"{name}{i}");
        // Local 1: record with timestamp and every developer field (1 byte each).
        b.Definition(1, FitProfile.Record, [(253, 4, 0x86)], [.. Enumerable.Range(0, fields).Select(i => ((byte)i, (byte)1, (byte)0))]);
        // Local 2: record with no field at all.
        b.Definition(2, FitProfile.Record, [], []);
        var wide = 1 + 4 + fields;
        b.Data(1, Wide(1000, fields));
        while (b.Length + wide + 16 < size) b.Data(2, []);
        b.Data(1, Wide(2000, fields));
        return b.ToFile();
    }

    private static byte[] Wide(uint timestamp, int fields)
    {
        var content = new byte[4 + fields];
        BinaryPrimitives.WriteUInt32LittleEndian(content, timestamp);
        for (var i = 0; i < fields; i++) content[4 + i] = (byte)(i % 200);
        return content;
    }

    /// <summary>One definition of <paramref name="global"/> with no fields and one-byte messages to the size.</summary>
    public static byte[] EmptyMessages(int size, ushort global)
    {
        var b = new Body();
        b.Definition(0, global, [], []);
        while (b.Length + 1 + 16 < size) b.Data(0, []);
        return b.ToFile();
    }

    /// <summary>A developer_data_id and then one field_description repeated to the size.</summary>
    public static byte[] RepeatedDescriptions(int size)
    {
        var b = new Body();
        DeveloperDataId(b, 0);
        while (b.Length + 40 + 16 < size) FieldDescription(b, 0, 1, FitBaseType.UInt16, "SmO2");
        return b.ToFile();
    }

    /// <summary>Ordinary records (timestamp, power) behind a header that declares 0x7FFF_0000 data bytes.</summary>
    public static byte[] HugeDeclaredSize(int size)
    {
        var b = new Body();
        b.Definition(0, FitProfile.Record, [(253, 4, 0x86), (7, 2, 0x84)], []);
        var content = new byte[6];
        uint t = 1000;
        while (b.Length + 7 + 16 < size)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(content, t++);
            BinaryPrimitives.WriteUInt16LittleEndian(content.AsSpan(4), (ushort)(t % 400));
            b.Data(0, content);
        }
        return b.ToFile(declaredSize: 0x7FFF_0000);
    }

    /// <summary>Chained files, each a header, one record definition, one record and a CRC, to the size.</summary>
    public static byte[] ChainedHeaders(int size)
    {
        using var output = new MemoryStream();
        uint t = 1000;
        var content = new byte[4];
        while (output.Length + 40 < size)
        {
            var b = new Body();
            b.Definition(0, FitProfile.Record, [(253, 4, 0x86)], []);
            BinaryPrimitives.WriteUInt32LittleEndian(content, t++);
            b.Data(0, content);
            output.Write(b.ToFile());
        }
        return output.ToArray();
    }

    /// <summary>A new 255-field record definition for every record, to the size.</summary>
    public static byte[] ManyDefinitions(int size)
    {
        var b = new Body();
        var content = new byte[255];
        var n = 0;
        while (b.Length + 6 + 3 * 255 + 256 + 16 < size)
        {
            // Field numbers vary per definition so that no two layouts are the same.
            var fields = Enumerable.Range(0, 255).Select(i => ((byte)((i + n) % 256), (byte)1, (byte)0x02)).ToArray();
            fields[0] = ((byte)(n % 251), 1, 0x02);
            fields[1] = ((byte)(n / 251 % 256), 1, 0x02);
            b.Definition((byte)(n % 16), FitProfile.Record, fields, []);
            b.Data((byte)(n % 16), content);
            n++;
        }
        return b.ToFile();
    }

    private static void DeveloperDataId(Body b, byte index)
    {
        // developer_data_id: application_id (1, 16 bytes), developer_data_index (3).
        b.Definition(15, FitProfile.DeveloperDataId, [(1, 16, 0x0D), (3, 1, 0x02)], []);
        var content = new byte[17];
        for (var i = 0; i < 16; i++) content[i] = (byte)(0x10 + i);
        content[16] = index;
        b.Data(15, content);
    }

    private static void FieldDescription(Body b, byte index, byte number, FitBaseType type, string name)
    {
        // field_description: developer_data_index (0), field_definition_number (1), fit_base_type_id (2), field_name (3).
        var nameBytes = new byte[16];
        Encoding.UTF8.GetBytes(name, nameBytes);
        b.Definition(14, FitProfile.FieldDescription, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 16, 0x07)], []);
        var content = new byte[19];
        content[0] = index;
        content[1] = number;
        content[2] = (byte)type;
        nameBytes.CopyTo(content, 3);
        b.Data(14, content);
    }

    /// <summary>The data records of one file; <see cref="ToFile"/> adds the header and the CRC.</summary>
    private sealed class Body
    {
        private readonly MemoryStream _data = new();
        private readonly byte[]?[] _defined = new byte[16][];

        public long Length => _data.Length + 14;

        /// <summary>Writes a definition unless local <paramref name="local"/> already holds the same one.</summary>
        public void Definition(byte local, ushort global, (byte Number, byte Size, byte Type)[] fields,
            (byte Number, byte Size, byte Index)[] developer)
        {
            var bytes = new List<byte> { (byte)(0x40 | (developer.Length > 0 ? 0x20 : 0) | local), 0, 0 };
            bytes.AddRange(BitConverter.GetBytes(global));
            bytes.Add((byte)fields.Length);
            foreach (var f in fields) bytes.AddRange([f.Number, f.Size, f.Type]);
            if (developer.Length > 0)
            {
                bytes.Add((byte)developer.Length);
                foreach (var d in developer) bytes.AddRange([d.Number, d.Size, d.Index]);
            }
            var array = bytes.ToArray();
            if (_defined[local] is { } previous && previous.AsSpan().SequenceEqual(array)) return;
            _defined[local] = array;
            _data.Write(array);
        }

        public void Data(byte local, ReadOnlySpan<byte> content)
        {
            _data.WriteByte(local);
            _data.Write(content);
        }

        public byte[] ToFile(uint? declaredSize = null)
        {
            var data = _data.GetBuffer().AsSpan(0, (int)_data.Length);
            var file = new byte[14 + data.Length + 2];
            file[0] = 14;
            file[1] = 0x20;
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(2), 2158);
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), declaredSize ?? (uint)data.Length);
            ".FIT"u8.CopyTo(file.AsSpan(8));
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(12), Crc16.Compute(file.AsSpan(0, 12)));
            data.CopyTo(file.AsSpan(14));
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(14 + data.Length), Crc16.Compute(file.AsSpan(0, 14 + data.Length)));
            return file;
        }
    }
}
