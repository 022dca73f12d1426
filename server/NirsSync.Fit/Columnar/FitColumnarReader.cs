using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace NirsSync.Fit;

/// <summary>
/// The fast path: decodes record messages straight into columns (see <see cref="FitRecordColumns"/>)
/// with no allocation per record. Each record definition is compiled once into a plan of
/// (offset, type, target) reads; columns grow by doubling, so allocation is proportional to the
/// number of definitions and columns and to the logarithm of the record count. Every other
/// message goes through the message API.
/// </summary>
public static class FitColumnarReader
{
    /// <summary>Decodes <paramref name="input"/> (chained files included) into a columnar ride.</summary>
    public static FitRide Read(ReadOnlySpan<byte> input, FitDecodeOptions? options = null)
    {
        var visitor = new ColumnarVisitor(new ColumnarState(input.Length));
        var damage = FitWalker.Walk(input, ref visitor, options ?? FitDecodeOptions.Strict);
        return visitor.State.ToRide(damage);
    }

    /// <summary>Reads <paramref name="stream"/> to its end and decodes it into a columnar ride.</summary>
    public static FitRide Read(Stream stream, FitDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(FitDecoder.ReadAll(stream), options);
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
                State.AddRecord(definition, content, timestamp);
            else
                State.AddMessage(definition, content, contentOffset, timestamp, hasTimestamp, compressedTimestamp);
        }

        public void OnPart(FitPart part) => State.Parts.Add(part);
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

/// <summary>One compiled read: where the value sits in the content, its type, and where it goes.</summary>
internal readonly record struct ColumnRead(int Offset, FitBaseType Type, ColumnTarget Target, float Scale,
    FitColumn? Column, byte Field)
{
    /// <summary>Index into the state's target arrays: the fixed columns first, then <see cref="FitColumn"/>s.</summary>
    public int Slot { get; init; }
}

internal sealed class ColumnarState
{
    private readonly FitRecordColumns _records = new();
    private const int FixedTargets = 5;
    private float[][] _targets = new float[FixedTargets][];
    private readonly Dictionary<int, FitColumn> _columns = [];
    private readonly DeveloperRegistry _registry = new();
    private readonly List<FitMessage> _messages = [];
    private byte[] _side = new byte[4096];
    private int _sideUsed;
    private int _capacity;

    public ColumnarState(int inputLength)
    {
        // Start near the expected record count (records rarely take under 24 bytes) and double when needed.
        Grow(Math.Clamp(inputLength / 32, 64, 1 << 20));
    }

    public List<FitPart> Parts { get; } = [];

    public void AddRecord(FitDefinition definition, ReadOnlySpan<byte> content, uint timestamp)
    {
        if (definition.ColumnPlan is not ColumnRead[] plan)
        {
            plan = Compile(definition);
            definition.ColumnPlan = plan;
        }
        var row = _records.Count;
        if (row == _capacity) Grow(_capacity * 2);
        _records.Timestamp[row] = timestamp;
        var targets = _targets;
        var bigEndian = definition.BigEndian;
        foreach (ref readonly var read in plan.AsSpan())
        {
            if (TryRead(content, read.Offset, read.Type, bigEndian, out var raw))
                targets[read.Slot][row] = (float)(raw / read.Scale);
        }
        _records.Count = row + 1;
    }

    public void AddMessage(FitDefinition definition, ReadOnlySpan<byte> content, int contentOffset, uint timestamp,
        bool hasTimestamp, bool compressedTimestamp)
    {
        if (_side.Length - _sideUsed < content.Length)
        {
            _side = new byte[Math.Max(4096, content.Length)];
            _sideUsed = 0;
        }
        content.CopyTo(_side.AsSpan(_sideUsed));
        _messages.Add(_registry.Build(definition, _side, _sideUsed, contentOffset - 1, Parts.Count, timestamp,
            hasTimestamp, compressedTimestamp));
        _sideUsed += content.Length;
    }

    private ColumnRead[] Compile(FitDefinition definition)
    {
        var reads = new List<ColumnRead>();
        var offset = 0;
        foreach (var f in definition.FieldArray)
        {
            if (f.IsAligned && f.BaseType != FitBaseType.String)
            {
                ColumnRead? read = f.Number switch
                {
                    3 => new(offset, f.BaseType, ColumnTarget.HeartRate, 1, null, f.Number),
                    4 => new(offset, f.BaseType, ColumnTarget.Cadence, 1, null, f.Number),
                    5 => new(offset, f.BaseType, ColumnTarget.Distance, 100, null, f.Number),
                    6 or 73 => new(offset, f.BaseType, ColumnTarget.Speed, 1000, null, f.Number),
                    7 => new(offset, f.BaseType, ColumnTarget.Power, 1, null, f.Number),
                    >= 54 and <= 56 => new(offset, f.BaseType, ColumnTarget.Column, 100, NativeColumn(f.Number), f.Number),
                    >= 57 and <= 59 => new(offset, f.BaseType, ColumnTarget.Column, 10, NativeColumn(f.Number), f.Number),
                    _ => null,
                };
                if (read is { } r) reads.Add(r);
            }
            offset += f.Size;
        }
        foreach (var d in definition.DeveloperFieldArray)
        {
            var description = _registry.Find(d.DeveloperDataIndex, d.Number);
            if (description is not null && description.BaseType != FitBaseType.String
                && d.Size >= description.BaseType.Size())
                reads.Add(new ColumnRead(offset, description.BaseType, ColumnTarget.Column, 1,
                    DeveloperColumn(description), d.Number));
            offset += d.Size;
        }
        // When both speed (6) and enhanced_speed (73) are present, the wider field is the one read.
        if (reads.Exists(r => r.Target == ColumnTarget.Speed && r.Field == 73))
            reads.RemoveAll(r => r.Target == ColumnTarget.Speed && r.Field == 6);
        return reads.Select(r => r with
        {
            Slot = r.Target == ColumnTarget.Column ? FixedTargets + _records.ColumnList.IndexOf(r.Column!) : (int)r.Target,
        }).ToArray();
    }

    private FitColumn NativeColumn(byte number) => Column(-1 - number, () =>
        new FitColumn(FitColumnSource.Native, 0, number, null, _capacity));

    private FitColumn DeveloperColumn(FitFieldDescription d) =>
        Column(d.DeveloperDataIndex << 8 | d.FieldDefinitionNumber, () =>
            new FitColumn(FitColumnSource.Developer, d.DeveloperDataIndex, d.FieldDefinitionNumber, d, _capacity));

    private FitColumn Column(int key, Func<FitColumn> create)
    {
        if (!_columns.TryGetValue(key, out var column))
        {
            column = create();
            column.Values.AsSpan().Fill(float.NaN);
            _columns[key] = column;
            _records.ColumnList.Add(column);
            RefreshTargets();
        }
        return column;
    }

    private void Grow(int capacity)
    {
        _records.Timestamp = Resize(_records.Timestamp, capacity);
        _records.Power = ResizeNaN(_records.Power, capacity);
        _records.HeartRate = ResizeNaN(_records.HeartRate, capacity);
        _records.Cadence = ResizeNaN(_records.Cadence, capacity);
        _records.Speed = ResizeNaN(_records.Speed, capacity);
        _records.Distance = ResizeNaN(_records.Distance, capacity);
        foreach (var c in _records.ColumnList) c.Values = ResizeNaN(c.Values, capacity);
        _capacity = capacity;
        RefreshTargets();
    }

    private void RefreshTargets()
    {
        if (_targets.Length != FixedTargets + _records.ColumnList.Count)
            _targets = new float[FixedTargets + _records.ColumnList.Count][];
        _targets[(int)ColumnTarget.Power] = _records.Power;
        _targets[(int)ColumnTarget.HeartRate] = _records.HeartRate;
        _targets[(int)ColumnTarget.Cadence] = _records.Cadence;
        _targets[(int)ColumnTarget.Speed] = _records.Speed;
        _targets[(int)ColumnTarget.Distance] = _records.Distance;
        for (var i = 0; i < _records.ColumnList.Count; i++) _targets[FixedTargets + i] = _records.ColumnList[i].Values;
    }

    private static uint[] Resize(uint[] a, int capacity)
    {
        Array.Resize(ref a, capacity);
        return a;
    }

    private static float[] ResizeNaN(float[] a, int capacity)
    {
        var old = a.Length;
        Array.Resize(ref a, capacity);
        a.AsSpan(old).Fill(float.NaN);
        return a;
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

    public FitRide ToRide(FitDamage? damage) =>
        new(_records, _messages, Parts, damage, _registry.Applications, _registry.Descriptions);
}
