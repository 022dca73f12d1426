using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace NirsSync.Fit;

/// <summary>
/// The fast path: decodes record messages straight into columns (see <see cref="FitRecordColumns"/>)
/// with no allocation per record. Each record definition is compiled once into a plan of
/// (offset, type, target) reads. Memory follows what the file carries: the timestamp column grows
/// by doubling with the rows, every other column holds only the rows that have a value (see
/// <see cref="ColumnValues"/>), and nothing is kept per non-record message (they are read again from
/// the input when asked for). The limits of <see cref="FitDecodeOptions"/> bound the rest.
/// </summary>
public static class FitColumnarReader
{
    /// <summary>
    /// Decodes <paramref name="input"/> (chained files included) into a columnar ride. The ride keeps a
    /// reference to the array (non-record messages are read from it on demand): do not change it afterwards.
    /// </summary>
    public static FitRide Read(byte[] input, FitDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= FitDecodeOptions.Strict;
        var state = new ColumnarState(input, options);
        state.Start();
        var visitor = new ColumnarVisitor(state);
        var damage = FitWalker.Walk(input, ref visitor, options);
        return visitor.State.ToRide(damage);
    }

    /// <summary>Decodes a copy of <paramref name="input"/> (chained files included) into a columnar ride.</summary>
    public static FitRide Read(ReadOnlySpan<byte> input, FitDecodeOptions? options = null) => Read(input.ToArray(), options);

    /// <summary>Reads <paramref name="stream"/> to its end and decodes it into a columnar ride.</summary>
    public static FitRide Read(Stream stream, FitDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(FitDecoder.ReadAll(stream), options);
    }

    /// <summary>Walks <paramref name="input"/> again and builds its non-record messages of <paramref name="globals"/>.</summary>
    internal static void Replay(byte[] input, FitDecodeOptions options, ushort[]? globals, Action<FitMessage> action)
    {
        var visitor = new ReplayVisitor(input, options, globals, action);
        FitWalker.Walk(input, ref visitor, options);
    }

    private readonly struct ColumnarVisitor(ColumnarState state) : IFitVisitor
    {
        public ColumnarState State { get; } = state;

        public void OnDefinition(FitDefinition definition)
        {
        }

        public void OnData(FitDefinition definition, ReadOnlySpan<byte> content, int contentOffset, uint timestamp,
            bool hasTimestamp, bool compressedTimestamp)
        {
            if (definition.GlobalNumber == FitProfile.Record)
                State.AddRecord(definition, content, contentOffset, timestamp);
            else if (definition.GlobalNumber is FitProfile.FieldDescription or FitProfile.DeveloperDataId)
                State.Observe(definition, contentOffset, timestamp, hasTimestamp, compressedTimestamp);
        }

        public void OnPart(FitPart part) => State.Parts.Add(part);
    }

    /// <summary>Builds the wanted non-record messages, registering developer data (206, 207) on the way.</summary>
    private struct ReplayVisitor(byte[] input, FitDecodeOptions options, ushort[]? globals, Action<FitMessage> action) : IFitVisitor
    {
        private readonly DeveloperRegistry _registry = new(options.MaxDeveloperFields);
        private int _parts;

        public readonly void OnDefinition(FitDefinition definition)
        {
        }

        public readonly void OnData(FitDefinition definition, ReadOnlySpan<byte> content, int contentOffset, uint timestamp,
            bool hasTimestamp, bool compressedTimestamp)
        {
            var global = definition.GlobalNumber;
            if (global == FitProfile.Record) return;
            var developer = global is FitProfile.FieldDescription or FitProfile.DeveloperDataId;
            var wanted = globals is null || Array.IndexOf(globals, global) >= 0;
            if (!developer && !wanted) return;
            var message = _registry.Build(definition, input, contentOffset, contentOffset - 1, _parts, timestamp,
                hasTimestamp, compressedTimestamp, observe: developer);
            if (wanted) action(message);
        }

        public void OnPart(FitPart part) => _parts++;
    }
}

/// <summary>What a compiled read writes to.</summary>
internal enum ColumnTarget : byte
{
    Power,
    HeartRate,
    Cadence,
    Speed,
    Distance,
    Column,
}

/// <summary>One compiled read: where the value sits in the content, its type, and the column it goes to.</summary>
internal readonly record struct ColumnRead(int Offset, FitBaseType Type, ColumnTarget Target, float Scale,
    ColumnValues Values, byte Field);

internal sealed class ColumnarState(byte[] input, FitDecodeOptions options)
{
    private readonly FitRecordColumns _records = new();
    private readonly Dictionary<int, FitColumn> _columns = [];
    private readonly DeveloperRegistry _registry = new(options.MaxDeveloperFields);
    private uint[] _timestamps = new uint[Math.Clamp(options.MaxRecordRows, 0, 256)];

    /// <summary>Sets the rows expected before any record is read (the first growth refines it).</summary>
    public void Start() => _records.Capacity.Expected = _timestamps.Length;

    public List<FitPart> Parts { get; } = [];

    public void AddRecord(FitDefinition definition, ReadOnlySpan<byte> content, int contentOffset, uint timestamp)
    {
        if (definition.ColumnPlan is not ColumnRead[] plan)
        {
            plan = Compile(definition);
            definition.ColumnPlan = plan;
        }
        var row = _records.Count;
        if (row == _timestamps.Length) GrowRows(contentOffset - 1);
        _timestamps[row] = timestamp;
        var bigEndian = definition.BigEndian;
        foreach (ref readonly var read in plan.AsSpan())
        {
            if (TryRead(content, read.Offset, read.Type, bigEndian, out var raw))
                read.Values.Set(row, (float)(raw / read.Scale));
        }
        _records.Count = row + 1;
    }

    private void GrowRows(int offset)
    {
        var rows = _timestamps.Length;
        if (rows >= options.MaxRecordRows)
            throw new FitFormatException(nameof(FitDecodeOptions.MaxRecordRows), options.MaxRecordRows, offset, "record messages");
        // Extrapolate the rows from the bytes they took so far (a real ride's records are alike): each row
        // took at least one byte, so this never asks for more than 4 bytes per input byte.
        var expected = (long)rows * input.Length / Math.Max(offset, 1) + 64;
        var capacity = Math.Min(Math.Max(expected + expected / 32, Math.Max(rows + rows / 2L, 256)), options.MaxRecordRows);
        Array.Resize(ref _timestamps, (int)capacity);
        _records.Capacity.Expected = (int)capacity;
    }

    /// <summary>Registers a developer_data_id or field_description at once: later records depend on it.</summary>
    public void Observe(FitDefinition definition, int contentOffset, uint timestamp, bool hasTimestamp, bool compressedTimestamp) =>
        _registry.Build(definition, input, contentOffset, contentOffset - 1, Parts.Count, timestamp, hasTimestamp, compressedTimestamp);

    private ColumnRead[] Compile(FitDefinition definition)
    {
        var reads = new List<ColumnRead>();
        var offset = 0;
        var r = _records;
        foreach (var f in definition.FieldArray)
        {
            if (f.IsAligned && f.BaseType != FitBaseType.String)
            {
                ColumnRead? read = f.Number switch
                {
                    3 => new(offset, f.BaseType, ColumnTarget.HeartRate, 1, r.HeartRateData, f.Number),
                    4 => new(offset, f.BaseType, ColumnTarget.Cadence, 1, r.CadenceData, f.Number),
                    5 => new(offset, f.BaseType, ColumnTarget.Distance, 100, r.DistanceData, f.Number),
                    6 or 73 => new(offset, f.BaseType, ColumnTarget.Speed, 1000, r.SpeedData, f.Number),
                    7 => new(offset, f.BaseType, ColumnTarget.Power, 1, r.PowerData, f.Number),
                    >= 54 and <= 56 => new(offset, f.BaseType, ColumnTarget.Column, 100, NativeColumn(f.Number).Data, f.Number),
                    >= 57 and <= 59 => new(offset, f.BaseType, ColumnTarget.Column, 10, NativeColumn(f.Number).Data, f.Number),
                    _ => null,
                };
                if (read is { } x) reads.Add(x);
            }
            offset += f.Size;
        }
        foreach (var d in definition.DeveloperFieldArray)
        {
            var description = _registry.Find(d.DeveloperDataIndex, d.Number);
            if (description is not null && description.BaseType != FitBaseType.String
                && d.Size >= description.BaseType.Size())
                reads.Add(new ColumnRead(offset, description.BaseType, ColumnTarget.Column, 1,
                    DeveloperColumn(description).Data, d.Number));
            offset += d.Size;
        }
        // When both speed (6) and enhanced_speed (73) are present, the wider field is the one read.
        if (reads.Exists(x => x.Target == ColumnTarget.Speed && x.Field == 73))
            reads.RemoveAll(x => x.Target == ColumnTarget.Speed && x.Field == 6);
        return [.. reads];
    }

    private FitColumn NativeColumn(byte number) => Column(-1 - number, FitColumnSource.Native, 0, number, null);

    private FitColumn DeveloperColumn(FitFieldDescription d) =>
        Column(d.DeveloperDataIndex << 8 | d.FieldDefinitionNumber, FitColumnSource.Developer, d.DeveloperDataIndex,
            d.FieldDefinitionNumber, d);

    private FitColumn Column(int key, FitColumnSource source, byte index, byte number, FitFieldDescription? description)
    {
        if (!_columns.TryGetValue(key, out var column))
        {
            column = new FitColumn(source, index, number, description, _records);
            _columns[key] = column;
            _records.ColumnList.Add(column);
        }
        return column;
    }

    public FitRide ToRide(FitDamage? damage)
    {
        var n = _records.Count;
        if (_timestamps.Length != n) Array.Resize(ref _timestamps, n);
        _records.Timestamp = _timestamps;
        return new FitRide(_records, input, options, Parts, damage, _registry.Applications, _registry.Descriptions);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryRead(ReadOnlySpan<byte> content, int offset, FitBaseType type, bool bigEndian, out double value)
    {
        switch (type)
        {
            case FitBaseType.Enum or FitBaseType.UInt8 or FitBaseType.Byte:
                value = content[offset];
                return content[offset] != 0xFF;
            case FitBaseType.UInt8z:
                value = content[offset];
                return content[offset] != 0;
            case FitBaseType.SInt8:
                value = (sbyte)content[offset];
                return content[offset] != 0x7F;
            case FitBaseType.UInt16 or FitBaseType.UInt16z:
            {
                var v = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(content[offset..]) : BinaryPrimitives.ReadUInt16LittleEndian(content[offset..]);
                value = v;
                return type == FitBaseType.UInt16 ? v != 0xFFFF : v != 0;
            }
            case FitBaseType.SInt16:
            {
                var v = bigEndian ? BinaryPrimitives.ReadInt16BigEndian(content[offset..]) : BinaryPrimitives.ReadInt16LittleEndian(content[offset..]);
                value = v;
                return v != 0x7FFF;
            }
            case FitBaseType.UInt32 or FitBaseType.UInt32z:
            {
                var v = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(content[offset..]) : BinaryPrimitives.ReadUInt32LittleEndian(content[offset..]);
                value = v;
                return type == FitBaseType.UInt32 ? v != 0xFFFF_FFFF : v != 0;
            }
            case FitBaseType.SInt32:
            {
                var v = bigEndian ? BinaryPrimitives.ReadInt32BigEndian(content[offset..]) : BinaryPrimitives.ReadInt32LittleEndian(content[offset..]);
                value = v;
                return v != 0x7FFF_FFFF;
            }
            case FitBaseType.Float32:
            {
                var bits = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(content[offset..]) : BinaryPrimitives.ReadUInt32LittleEndian(content[offset..]);
                value = BitConverter.UInt32BitsToSingle(bits);
                return bits != 0xFFFF_FFFF;
            }
            case FitBaseType.Float64:
            {
                var bits = bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(content[offset..]) : BinaryPrimitives.ReadUInt64LittleEndian(content[offset..]);
                value = BitConverter.UInt64BitsToDouble(bits);
                return bits != ulong.MaxValue;
            }
            case FitBaseType.SInt64:
            {
                var v = bigEndian ? BinaryPrimitives.ReadInt64BigEndian(content[offset..]) : BinaryPrimitives.ReadInt64LittleEndian(content[offset..]);
                value = v;
                return v != long.MaxValue;
            }
            case FitBaseType.UInt64 or FitBaseType.UInt64z:
            {
                var v = bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(content[offset..]) : BinaryPrimitives.ReadUInt64LittleEndian(content[offset..]);
                value = v;
                return type == FitBaseType.UInt64 ? v != ulong.MaxValue : v != 0;
            }
            default:
                value = 0;
                return false;
        }
    }
}
