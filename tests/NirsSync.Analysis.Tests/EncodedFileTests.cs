using NirsSync.Fit;

namespace NirsSync.Analysis.Tests;

/// <summary>Whole FIT files written with the codec's encoder to the data-field contract (docs/fit-fields.md), read back and analysed.</summary>
public class EncodedFileTests
{
    private const uint T0 = 1_100_000_000;
    private static readonly byte[] OurApp = Convert.FromHexString("7a3c5e1f2b4d4c6e9f80a1b2c3d4e5f6");

    private static byte[] DataFieldRide(int seconds)
    {
        var w = new FitWriter();
        w.Write(FitProfile.FileId, FitWriteField.Integer(0, FitBaseType.Enum, 4), FitWriteField.Unsigned(4, FitBaseType.UInt32, T0));
        w.WriteDeveloperDataId(0, OurApp);
        w.WriteFieldDescription(0, 0, FitBaseType.Float32, "smo2_1", "%", FitProfile.Record, 57);
        w.WriteFieldDescription(0, 1, FitBaseType.Float32, "thb_1", "g/dL", FitProfile.Record, 54);
        w.WriteFieldDescription(0, 2, FitBaseType.Float32, "smo2_2", "%", FitProfile.Record);
        w.WriteFieldDescription(0, 3, FitBaseType.Float32, "thb_2", "g/dL", FitProfile.Record);
        w.WriteFieldDescription(0, 50, FitBaseType.UInt8, "muscle_1", null, FitProfile.Session);
        w.WriteFieldDescription(0, 51, FitBaseType.UInt8, "side_1", null, FitProfile.Session);
        w.WriteFieldDescription(0, 52, FitBaseType.UInt16, "device_1", null, FitProfile.Session);
        w.WriteFieldDescription(0, 53, FitBaseType.UInt8, "muscle_2", null, FitProfile.Session);
        w.WriteFieldDescription(0, 54, FitBaseType.UInt8, "side_2", null, FitProfile.Session);
        w.WriteFieldDescription(0, 55, FitBaseType.UInt16, "device_2", null, FitProfile.Session);
        for (var i = 0; i < seconds; i++)
        {
            float left = 60 + i % 10, right = 50 + i % 10;
            if (i == 7) left = 0; // a single-sample dropout written as 0 by another writer
            w.Write(FitProfile.Record,
                [FitWriteField.Unsigned(253, FitBaseType.UInt32, T0 + (uint)i), FitWriteField.Integer(7, FitBaseType.UInt16, 200)],
                [
                    new FitWriteDeveloperField(0, FitWriteField.Float32(0, left)),
                    new FitWriteDeveloperField(0, FitWriteField.Float32(1, 12.5f)),
                    new FitWriteDeveloperField(0, FitWriteField.Float32(2, right)),
                    new FitWriteDeveloperField(0, FitWriteField.Float32(3, 11.5f)),
                ]);
        }
        w.Write(FitProfile.Lap, FitWriteField.Unsigned(253, FitBaseType.UInt32, T0 + (uint)seconds - 1),
            FitWriteField.Unsigned(2, FitBaseType.UInt32, T0), FitWriteField.Unsigned(7, FitBaseType.UInt32, (ulong)(seconds - 1) * 1000));
        w.Write(FitProfile.Session,
            [FitWriteField.Unsigned(253, FitBaseType.UInt32, T0 + (uint)seconds - 1), FitWriteField.Unsigned(2, FitBaseType.UInt32, T0)],
            [
                new FitWriteDeveloperField(0, FitWriteField.Integer(50, FitBaseType.UInt8, 1)),
                new FitWriteDeveloperField(0, FitWriteField.Integer(51, FitBaseType.UInt8, 1)),
                new FitWriteDeveloperField(0, FitWriteField.Integer(52, FitBaseType.UInt16, 1234)),
                new FitWriteDeveloperField(0, FitWriteField.Integer(53, FitBaseType.UInt8, 1)),
                new FitWriteDeveloperField(0, FitWriteField.Integer(54, FitBaseType.UInt8, 2)),
                new FitWriteDeveloperField(0, FitWriteField.Integer(55, FitBaseType.UInt16, 5678)),
            ]);
        return w.ToArray();
    }

    [Fact]
    public void A_file_written_to_the_data_field_contract_gives_both_muscles_and_their_pair()
    {
        var a = RideAnalyzer.Analyze(FitColumnarReader.Read(DataFieldRide(120)));
        Assert.Equal(2, a.Channels.Count);
        var left = a.Channels[0];
        var right = a.Channels[1];
        Assert.Equal(("ours:1", 1234u, Muscle.VastusLateralis, Side.Left, IdentitySource.DataField),
            (left.Channel.Id, left.Channel.Sensor!.Value, left.Channel.Muscle, left.Channel.Side, left.Channel.Source));
        Assert.Equal(("ours:2", 5678u, Muscle.VastusLateralis, Side.Right),
            (right.Channel.Id, right.Channel.Sensor!.Value, right.Channel.Muscle, right.Channel.Side));
        Assert.Equal(1, left.Quality.Zeros);
        Assert.Equal(119, left.Quality.ValidSmO2);
        // left cycles 60..69, 12 of each but one 67 dropped (n = 119): rank ceil(59.5) = 60 falls on 64 (12 x 60..64 = 60);
        // right 50..59 (n = 120): rank 60 falls on 54.
        Assert.Equal(54.0, right.SmO2.P50);
        Assert.Equal((60.0, 64.0, 69.0), (left.SmO2.P5!.Value, left.SmO2.P50!.Value, left.SmO2.P95!.Value));
        Assert.Equal(12.5, left.THb.P50);
        var pair = Assert.Single(a.Pairs);
        Assert.Equal(PairRelation.LeftRight, pair.Relation);
        Assert.Equal(Math.Round(100 * 10 / 59.0, 2), pair.P50.AsymmetryIndex);
        Assert.Single(left.Laps);
        Assert.True(a.HasPower);
    }

    [Fact]
    public void Native_fields_written_by_a_watch_are_scaled_by_the_profile()
    {
        var w = new FitWriter();
        w.Write(FitProfile.FileId, FitWriteField.Integer(0, FitBaseType.Enum, 4));
        for (var i = 0; i < 30; i++)
            w.Write(FitProfile.Record, FitWriteField.Unsigned(253, FitBaseType.UInt32, T0 + (uint)i),
                FitWriteField.Integer(57, FitBaseType.UInt16, 500 + i), FitWriteField.Integer(54, FitBaseType.UInt16, 1250));
        var c = Assert.Single(RideAnalyzer.Analyze(FitColumnarReader.Read(w.ToArray())).Channels);
        Assert.Equal("native", c.Channel.Id);
        Assert.Equal((50.1, 51.4, 52.8), (c.SmO2.P5!.Value, c.SmO2.P50!.Value, c.SmO2.P95!.Value));
        Assert.Equal(12.5, c.THb.P50);
    }
}
