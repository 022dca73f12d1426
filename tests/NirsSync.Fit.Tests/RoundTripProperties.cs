using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace NirsSync.Fit.Tests;

/// <summary>decode(encode(x)) == x for generated messages, both architectures, developer fields included.</summary>
public class RoundTripProperties
{
    public sealed record FieldModel(byte Number, FitBaseType Type, ulong[] Bits, string? Text);
    public sealed record MessageModel(ushort Global, FieldModel[] Fields, FieldModel[] Developer);
    public sealed record FileModel(bool BigEndian, FieldModel[] Descriptions, MessageModel[] Messages);

    private static readonly FitBaseType[] Numeric =
    [
        FitBaseType.Enum, FitBaseType.SInt8, FitBaseType.UInt8, FitBaseType.SInt16, FitBaseType.UInt16, FitBaseType.SInt32,
        FitBaseType.UInt32, FitBaseType.Float32, FitBaseType.Float64, FitBaseType.UInt8z, FitBaseType.UInt16z,
        FitBaseType.UInt32z, FitBaseType.Byte, FitBaseType.SInt64, FitBaseType.UInt64, FitBaseType.UInt64z,
    ];

    private static Gen<ulong> Bits(FitBaseType type) =>
        Gen.Choose(0, int.MaxValue).Two().Select(p =>
        {
            var bits = (ulong)(uint)p.Item1 << 32 | (uint)p.Item2;
            var size = type.Size();
            bits = size == 8 ? bits : bits & ((1UL << (8 * size)) - 1);
            // The writer stores every NaN as the float invalid pattern (all bits set).
            if (type == FitBaseType.Float32 && float.IsNaN(BitConverter.UInt32BitsToSingle((uint)bits))) return 0xFFFF_FFFFUL;
            if (type == FitBaseType.Float64 && double.IsNaN(BitConverter.UInt64BitsToDouble(bits))) return ulong.MaxValue;
            return bits;
        });

    private static Gen<FieldModel> Field(byte number) =>
        from isText in Gen.Choose(0, 9)
        from type in Gen.Elements(Numeric)
        from count in Gen.Choose(1, 3)
        from bits in Bits(type).ArrayOf(count)
        from text in Gen.Elements("", "a", "SmO2 Sensor 665 on L. Quad", "Grüße ✓")
        select isText == 0 ? new FieldModel(number, FitBaseType.String, [], text) : new FieldModel(number, type, bits, null);

    private static Gen<FieldModel[]> Fields(int max) =>
        from numbers in Gen.Choose(0, 252).ArrayOf().Select(a => a.Distinct().Take(max).ToArray())
        from fields in Gen.CollectToArray(numbers, n => Field((byte)n))
        select fields;

    private static Gen<FileModel> Files() =>
        from bigEndian in Gen.Elements(false, true)
        from descriptions in Fields(4)
        from messages in (
            from global in Gen.Choose(0, 65534).Where(g => g is not (206 or 207))
            from fields in Fields(12)
            from useDev in Gen.Elements(false, true)
            select new MessageModel((ushort)global, fields, useDev ? descriptions : [])).ArrayOf()
        select new FileModel(bigEndian, descriptions, messages);

    private static FitWriteField ToWrite(FieldModel f) => f.Type switch
    {
        FitBaseType.String => FitWriteField.String(f.Number, f.Text!),
        FitBaseType.Float32 or FitBaseType.Float64 => FitWriteField.Floats(f.Number, f.Type,
            f.Bits.Select(b => f.Type == FitBaseType.Float32 ? BitConverter.UInt32BitsToSingle((uint)b) : BitConverter.UInt64BitsToDouble(b)).ToArray()),
        _ => FitWriteField.Integers(f.Number, f.Type, f.Bits.Select(b => unchecked((long)b)).ToArray()),
    };

    [Property(MaxTest = 200)]
    public Property DecodeOfEncodeReturnsEveryFieldBitForBit() => Prop.ForAll(Files().ToArbitrary(), model =>
    {
        var w = new FitWriter(model.BigEndian);
        w.WriteDeveloperDataId(0, new byte[16]);
        foreach (var d in model.Descriptions) w.WriteFieldDescription(0, d.Number, d.Type, $"dev{d.Number}");
        foreach (var m in model.Messages)
            w.Write(m.Global, m.Fields.Select(ToWrite).ToArray(),
                m.Developer.Select(d => new FitWriteDeveloperField(0, ToWrite(d))).ToArray());
        var fit = FitDecoder.Decode(w.ToArray());
        var data = fit.Messages.Skip(1 + model.Descriptions.Length).ToList();
        if (data.Count != model.Messages.Length) return false;
        for (var i = 0; i < data.Count; i++)
        {
            var expected = model.Messages[i];
            var actual = data[i];
            if (actual.GlobalNumber != expected.Global || actual.Fields.Count != expected.Fields.Length
                || actual.DeveloperFields.Count != expected.Developer.Length) return false;
            for (var f = 0; f < expected.Fields.Length; f++)
                if (!Same(expected.Fields[f], actual.Fields[f].Number, actual.Fields[f].Value)) return false;
            for (var f = 0; f < expected.Developer.Length; f++)
                if (!Same(expected.Developer[f], actual.DeveloperFields[f].Number, actual.DeveloperFields[f].Value)
                    || actual.DeveloperFields[f].Description?.Name != $"dev{expected.Developer[f].Number}") return false;
        }
        return true;
    });

    private static bool Same(FieldModel expected, byte number, FitValue value)
    {
        if (number != expected.Number || value.BaseType != expected.Type) return false;
        if (expected.Type == FitBaseType.String)
            return value.GetString() == (expected.Text!.Length == 0 ? null : expected.Text);
        if (value.Count != expected.Bits.Length) return false;
        for (var i = 0; i < expected.Bits.Length; i++)
            if (value.GetBits(i) != expected.Bits[i]) return false;
        return true;
    }

    [Property(MaxTest = 100)]
    public Property ColumnarAndMessageApiAgreeOnEncodedRecords() => Prop.ForAll(
        Gen.Choose(0, 60000).ArrayOf().ToArbitrary(), Gen.Elements(false, true).ToArbitrary(), (powers, bigEndian) =>
        {
            var w = new FitWriter(bigEndian);
            w.WriteDeveloperDataId(0, new byte[16]);
            w.WriteFieldDescription(0, 0, FitBaseType.Float32, "smo2_1", "%", FitProfile.Record, 57);
            for (var i = 0; i < powers.Length; i++)
                w.Write(FitProfile.Record,
                    [FitWriteField.Integer(253, FitBaseType.UInt32, 1000 + i), FitWriteField.Integer(7, FitBaseType.UInt16, powers[i])],
                    [new(0, FitWriteField.Float32(0, powers[i] / 1000f))]);
            var ride = FitColumnarReader.Read(w.ToArray());
            if (powers.Length == 0) return ride.Records.Count == 0 && ride.Records.Columns.Count == 0;
            var column = ride.Records.Columns.Single();
            return ride.Records.Count == powers.Length && Enumerable.Range(0, powers.Length).All(i =>
                ride.Records.Power[i] == powers[i] && ride.Records.Timestamp[i] == 1000 + i && column.Values[i] == powers[i] / 1000f);
        });
}
