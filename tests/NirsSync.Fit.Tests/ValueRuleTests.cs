using System.Buffers.Binary;

namespace NirsSync.Fit.Tests;

/// <summary>FIT base-type rules for invalid values, arrays, strings, misaligned sizes and unfinished files.</summary>
public class ValueRuleTests
{
    private static FitMessage Single(params FitWriteField[] fields)
    {
        var w = new FitWriter();
        w.Write(9000, fields);
        return Assert.Single(FitDecoder.Decode(w.ToArray()).Messages);
    }

    [Theory]
    [InlineData(FitBaseType.Enum, 0xFFUL)]
    [InlineData(FitBaseType.SInt8, 0x7FUL)]
    [InlineData(FitBaseType.UInt8, 0xFFUL)]
    [InlineData(FitBaseType.SInt16, 0x7FFFUL)]
    [InlineData(FitBaseType.UInt16, 0xFFFFUL)]
    [InlineData(FitBaseType.SInt32, 0x7FFFFFFFUL)]
    [InlineData(FitBaseType.UInt32, 0xFFFFFFFFUL)]
    [InlineData(FitBaseType.UInt8z, 0UL)]
    [InlineData(FitBaseType.UInt16z, 0UL)]
    [InlineData(FitBaseType.UInt32z, 0UL)]
    [InlineData(FitBaseType.SInt64, 0x7FFFFFFFFFFFFFFFUL)]
    [InlineData(FitBaseType.UInt64, 0xFFFFFFFFFFFFFFFFUL)]
    [InlineData(FitBaseType.UInt64z, 0UL)]
    public void InvalidValueOfEachIntegerTypeIsLeftOut(FitBaseType type, ulong invalid)
    {
        var m = Single(FitWriteField.Unsigned(1, type, invalid), FitWriteField.Unsigned(2, type, invalid == 0 ? 1UL : 5UL));
        Assert.False(m.Fields[0].Value.IsValid);
        Assert.Null(m.GetRaw(1));
        Assert.True(m.Fields[1].Value.IsValid);
        Assert.DoesNotContain("\"1\":", FitMessageJson.ToJson(m));
    }

    [Fact]
    public void SignedValuesAreSignExtended()
    {
        var m = Single(FitWriteField.Integer(1, FitBaseType.SInt8, -3), FitWriteField.Integer(2, FitBaseType.SInt16, -300),
            FitWriteField.Integer(3, FitBaseType.SInt32, -70000), FitWriteField.Integer(4, FitBaseType.SInt64, -5_000_000_000));
        Assert.Equal([-3d, -300d, -70000d, -5_000_000_000d], [m.GetRaw(1)!.Value, m.GetRaw(2)!.Value, m.GetRaw(3)!.Value, m.GetRaw(4)!.Value]);
    }

    [Fact]
    public void FloatInvalidIsAllBitsSetAndOtherFloatsAreKept()
    {
        var m = Single(FitWriteField.Invalid(1, FitBaseType.Float32), FitWriteField.Float32(2, 61.3f),
            FitWriteField.Invalid(3, FitBaseType.Float64), FitWriteField.Float64(4, -0.5));
        Assert.Null(m.GetRaw(1));
        Assert.Equal(61.3f, (float)m.GetRaw(2)!.Value);
        Assert.Null(m.GetRaw(3));
        Assert.Equal(-0.5, m.GetRaw(4));
    }

    [Fact]
    public void ByteArrayIsInvalidOnlyWhenEveryByteIs0xFF()
    {
        var m = Single(FitWriteField.Bytes(1, [0xFF, 0xFF]), FitWriteField.Bytes(2, [0xFF, 0x01]));
        Assert.False(m.Fields[0].Value.IsValid);
        Assert.True(m.Fields[1].Value.IsValid);
        Assert.Equal("[255,1]", System.Text.Json.JsonDocument.Parse(FitMessageJson.ToJson(m)).RootElement
            .GetProperty("fields").GetProperty("2").GetRawText());
    }

    [Fact]
    public void ArrayKeepsValidElementsAndMarksInvalidOnesNull()
    {
        var m = Single(FitWriteField.Integers(1, FitBaseType.UInt16, [10, 0xFFFF, 30]),
            FitWriteField.Integers(2, FitBaseType.UInt16, [0xFFFF, 0xFFFF]));
        Assert.Equal([10d, null, 30d], new[] { m.GetRaw(1, 0), m.GetRaw(1, 1), m.GetRaw(1, 2) });
        Assert.False(m.Fields[1].Value.IsValid);
        Assert.Contains("\"1\":[10,null,30]", FitMessageJson.ToJson(m));
    }

    [Fact]
    public void StringStopsAtItsTerminatorAndEmptyStringIsInvalid()
    {
        var m = Single(FitWriteField.String(1, "L. Quad", 16), FitWriteField.String(2, ""));
        Assert.Equal("L. Quad", m.GetString(1));
        Assert.False(m.Fields[1].Value.IsValid);
    }

    [Fact]
    public void FieldWhoseSizeIsNotAMultipleOfItsTypeKeepsItsBytesButHasNoValue()
    {
        // A uint16 field declared 3 bytes long (seen in Coros files).
        var w = new FitWriter();
        w.Write(9000, FitWriteField.Bytes(1, [1, 2, 3]));
        var bytes = w.ToArray();
        var at = Array.IndexOf(bytes, (byte)0x0D, 14); // base type byte of field 1 in the definition
        bytes[at] = (byte)FitBaseType.UInt16;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(bytes.Length - 2), Crc16.Compute(bytes.AsSpan(0, bytes.Length - 2)));
        var field = Assert.Single(FitDecoder.Decode(bytes).Messages).Fields[0];
        Assert.False(field.Value.IsAligned);
        Assert.False(field.Value.IsValid);
        Assert.Equal(new byte[] { 1, 2, 3 }, field.Value.Bytes.ToArray());
    }

    [Fact]
    public void BaseTypeWithoutItsEndianBitIsReadByItsNumber()
    {
        Assert.True(FitBaseTypes.TryNormalize(0x04, out var t));
        Assert.Equal(FitBaseType.UInt16, t);
        Assert.False(FitBaseTypes.TryNormalize(0x11, out _));
    }

    private static byte[] Unfinished(bool keepCrc)
    {
        var w = new FitWriter();
        for (var i = 0; i < 10; i++) w.Write(FitProfile.Record, FitWriteField.Integer(253, FitBaseType.UInt32, 1000 + i),
            FitWriteField.Integer(7, FitBaseType.UInt16, 100 + i));
        var bytes = w.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 0); // data size 0: the device never finished the file
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(12), Crc16.Compute(bytes.AsSpan(0, 12)));
        if (keepCrc)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(bytes.Length - 2), Crc16.Compute(bytes.AsSpan(0, bytes.Length - 2)));
            return bytes;
        }
        return bytes[..^2];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DataSizeZeroReadsRecordsToTheEndOfTheInput(bool withCrc)
    {
        var fit = FitDecoder.Decode(Unfinished(withCrc));
        Assert.Equal(10, fit.Messages.Count);
        Assert.Equal(109d, fit.Messages[^1].GetRaw(7));
        var part = Assert.Single(fit.Parts);
        Assert.True(part.UnknownDataSize);
        Assert.Equal(withCrc, part.StoredCrc is not null);
    }

    [Fact]
    public void StreamAndSpanDecodeTheSameMessages()
    {
        var bytes = File.ReadAllBytes(Repo.CorpusFile("runalyze/moxy-2sensors.fit"));
        using var stream = new MemoryStream(bytes, writable: false);
        var fromStream = FitDecoder.Decode(stream);
        var fromSpan = FitDecoder.Decode(bytes.AsSpan());
        Assert.Equal(fromSpan.Messages.Select(FitMessageJson.ToJson), fromStream.Messages.Select(FitMessageJson.ToJson));
    }

    [Fact]
    public void DeveloperFieldScaleAndOffsetComeFromTheDescription()
    {
        var w = new FitWriter();
        w.WriteDeveloperDataId(0, new byte[16]);
        w.WriteFieldDescription(0, 4, FitBaseType.UInt16, "smo2 x10", "%", scale: 10, offset: 5);
        w.Write(FitProfile.Record, [FitWriteField.Integer(253, FitBaseType.UInt32, 1)], [new(0, FitWriteField.Integer(4, FitBaseType.UInt16, 655))]);
        var record = FitDecoder.Decode(w.ToArray()).Messages[^1];
        var field = Assert.Single(record.DeveloperFields);
        Assert.Equal(655d, field.Value.GetDouble());
        Assert.Equal(60.5, field.GetScaled());
        Assert.Equal((byte)10, field.Description!.Scale);
    }
}
