using NirsSync.Fit.Synthetic;

namespace NirsSync.Fit.Tests;

public class EncoderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WrittenActivityDecodesWithGarminsSdkWithZeroErrorsAndTheSameValues(bool bigEndian)
    {
        var w = new FitWriter(bigEndian);
        w.Write(FitProfile.FileId, FitWriteField.Integer(0, FitBaseType.Enum, 4), FitWriteField.Integer(1, FitBaseType.UInt16, 1),
            FitWriteField.Integer(4, FitBaseType.UInt32, 1_100_000_000));
        w.WriteDeveloperDataId(0, SyntheticRide.NirsSyncApplicationId);
        w.WriteFieldDescription(0, 0, FitBaseType.Float32, "smo2_1", "%", FitProfile.Record, 57);
        w.WriteFieldDescription(0, 7, FitBaseType.SInt64, "big", "x");
        w.WriteFieldDescription(0, 8, FitBaseType.String, "note");
        w.WriteFieldDescription(0, 9, FitBaseType.UInt16, "arr", "u");
        for (var i = 0; i < 5; i++)
            w.Write(FitProfile.Record,
                [FitWriteField.Integer(253, FitBaseType.UInt32, 1_100_000_000 + i), FitWriteField.Integer(7, FitBaseType.UInt16, 200 + i),
                    FitWriteField.Integers(8, FitBaseType.Byte, [1, 2, 3])],
                [new(0, FitWriteField.Float32(0, 55.5f + i)), new(0, FitWriteField.Integer(7, FitBaseType.SInt64, -5_000_000_000L)),
                    new(0, FitWriteField.String(8, "hi", 8)), new(0, FitWriteField.Integers(9, FitBaseType.UInt16, [1, 0xFFFF, 3]))]);
        var bytes = w.ToArray();
        var path = Path.Combine(Path.GetTempPath(), $"nirssync-encoder-{Guid.NewGuid():N}.fit");
        File.WriteAllBytes(path, bytes);
        try
        {
            var oracle = GarminOracle.Decode(path);
            Assert.Empty(oracle.Errors);
            Assert.Equal(11, oracle.Messages.Count); // file_id, developer_data_id, 4 field_description, 5 record
            var record = oracle.Messages[6];
            Assert.Equal(20, (int)record["mesg"]!);
            Assert.Equal(200, (int)record["fields"]!["7"]!);
            Assert.Equal(55.5, (double)record["dev"]!["0:0"]!);
            Assert.Equal("[1,null,3]", record["dev"]!["0:9"]!.ToJsonString());
            Assert.Equal(-5_000_000_000L, (long)record["dev"]!["0:7"]!);
            Assert.Equal("hi", (string)record["dev"]!["0:8"]!);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GeneratedRideDecodesWithGarminsSdkWithZeroErrors()
    {
        var bytes = SyntheticRide.Generate(new SyntheticRideOptions { Duration = TimeSpan.FromMinutes(20) });
        var path = Path.Combine(Path.GetTempPath(), $"nirssync-ride-{Guid.NewGuid():N}.fit");
        File.WriteAllBytes(path, bytes);
        try
        {
            var oracle = GarminOracle.Decode(path);
            Assert.Empty(oracle.Errors);
            Assert.Equal(FitDecoder.Decode(bytes).Messages.Count, oracle.Messages.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GeneratedRideCarriesTwoSensorsPerTheFieldContract()
    {
        var bytes = SyntheticRide.Generate(new SyntheticRideOptions
        {
            Duration = TimeSpan.FromMinutes(30),
            Sensors = [new(501, 1, 1), new(502, 1, 2) { Load = 1.3 }],
        });
        var ride = FitColumnarReader.Read(bytes);
        Assert.Equal(1800, ride.Records.Count);
        var smo2Left = ride.Records.Columns.Single(c => c.Description?.Name == "smo2_1");
        var smo2Right = ride.Records.Columns.Single(c => c.Description?.Name == "smo2_2");
        Assert.Equal((byte)57, smo2Left.Description!.NativeFieldNumber);
        Assert.Null(smo2Right.Description!.NativeFieldNumber);
        Assert.Equal("7a3c5e1f-2b4d-4c6e-9f80-a1b2c3d4e5f6", smo2Left.Description.Application!.ApplicationUuid);
        var left = smo2Left.Values.AsSpan(0, ride.Records.Count).ToArray().Where(v => v > 0).ToArray();
        var right = smo2Right.Values.AsSpan(0, ride.Records.Count).ToArray().Where(v => v > 0).ToArray();
        Assert.All(left.Concat(right), v => Assert.InRange(v, 1, 99));
        // The right muscle carries more load, so it desaturates further during intervals.
        Assert.True(right.Min() < left.Min() - 5, $"right min {right.Min()}, left min {left.Min()}");
        var session = ride.Messages.Single(m => m.GlobalNumber == FitProfile.Session);
        Assert.Equal(502d, session.DeveloperFields.Single(d => d.Description?.Name == "device_2").Value.GetDouble());
        Assert.Equal(2d, session.DeveloperFields.Single(d => d.Description?.Name == "side_2").Value.GetDouble());
        Assert.True(ride.Messages.Count(m => m.GlobalNumber == FitProfile.Lap) >= 4);
    }

    [Fact]
    public void TruncatedTwoHourUploadStillYieldsItsFirstHourInLenientMode()
    {
        var bytes = SyntheticRide.Generate(new SyntheticRideOptions { Duration = TimeSpan.FromHours(2) });
        var truncated = bytes.AsSpan(0, bytes.Length * 6 / 10).ToArray();
        Assert.Throws<FitFormatException>(() => FitColumnarReader.Read(truncated));
        var ride = FitColumnarReader.Read(truncated, FitDecodeOptions.Lenient);
        Assert.Equal(FitErrorKind.UnexpectedEnd, ride.Damage!.Kind);
        var r = ride.Records;
        Assert.True(r.Timestamp[r.Count - 1] - r.Timestamp[0] >= 3600, $"only {r.Timestamp[r.Count - 1] - r.Timestamp[0]} s recovered");
    }

    [Fact]
    public void WriterRejectsDeveloperFieldsWithoutDescription()
    {
        var w = new FitWriter();
        var e = Assert.Throws<InvalidOperationException>(() =>
            w.Write(FitProfile.Record, [FitWriteField.Integer(7, FitBaseType.UInt16, 1)], [new(0, FitWriteField.Float32(3, 1))]));
        Assert.Contains("0:3", e.Message);
    }

    [Fact]
    public void WriterReusesLocalTypesForRepeatedLayouts()
    {
        var w = new FitWriter();
        for (var i = 0; i < 100; i++) w.Write(FitProfile.Record, FitWriteField.Integer(7, FitBaseType.UInt16, i));
        var fit = FitDecoder.Decode(w.ToArray());
        Assert.Equal(1, fit.Parts[0].DefinitionCount);
        Assert.Equal(100, fit.Messages.Count);
    }

    [Fact]
    public void MoreThanSixteenLayoutsCycleThroughLocalTypesAndStillDecode()
    {
        var w = new FitWriter();
        for (var i = 0; i < 40; i++) w.Write((ushort)(1000 + i % 20), FitWriteField.Integer((byte)i, FitBaseType.UInt8, i));
        var fit = FitDecoder.Decode(w.ToArray());
        Assert.Equal(40, fit.Messages.Count);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(1000 + i % 20, fit.Messages[i].GlobalNumber);
            Assert.Equal(i, fit.Messages[i].GetRaw((byte)i));
        }
    }
}
