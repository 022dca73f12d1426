using NirsSync.Fit;
using static NirsSync.Analysis.Tests.Frames;

namespace NirsSync.Analysis.Tests;

public class DiscoveryTests
{
    private const int N = 60;

    private static RideFrame Frame(IReadOnlyList<RideColumn> columns, IReadOnlyList<RideDeveloperValue>? session = null,
        IReadOnlyList<FitDeveloperDataId>? apps = null, IReadOnlyList<RideDevice>? devices = null) =>
        new(Seconds(N), null, columns, null, devices, session, apps);

    private static float[] Wave(float level, float scale = 1) => Fill(N, i => MathF.Round((level + 5 * MathF.Sin(i / 7f)) * 10) / 10 * scale);

    [Fact]
    public void Native_fields_54_and_57_form_one_channel()
    {
        var ch = Assert.Single(ChannelDiscovery.Discover(Frame([RideColumn.Native(57, Wave(60)), RideColumn.Native(54, Wave(12))])));
        Assert.Equal("native", ch.Info.Id);
        Assert.Equal("native:57", ch.Info.SmO2Field);
        Assert.Equal("native:54", ch.Info.THbField);
    }

    [Fact]
    public void Integer_field_mapped_to_57_without_scale_is_x10_and_its_float_duplicate_is_merged()
    {
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 0, "SmO2 Sensor 0 on X", "%", FitBaseType.UInt16, 57), Wave(60, 10)),
            RideColumn.Developer(Dev(0, 1, "THb Sensor 0 on X", "THb", FitBaseType.UInt16, 54), Wave(12, 100)),
            RideColumn.Developer(Dev(0, 2, "SmO2 Sensor 0 on X", "%", FitBaseType.Float32), Wave(60)),
            RideColumn.Developer(Dev(0, 3, "THb Sensor 0 on X", "THb", FitBaseType.Float32), Wave(12)),
        };
        var ch = Assert.Single(ChannelDiscovery.Discover(Frame(cols)));
        Assert.Equal(["0:2", "0:3"], ch.Info.DuplicateFields);
        Assert.Equal(Wave(60)[10], ch.SmO2![10], 3);
        Assert.Equal(Wave(12)[10], ch.THb![10], 3);
    }

    [Fact]
    public void Two_apps_with_the_same_names_are_two_sensors()
    {
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 3, "currHemoPerc", "%", FitBaseType.Float32, 57), Wave(60)),
            RideColumn.Developer(Dev(0, 6, "currO2Hb", "a.u.", FitBaseType.Float32), new float[N]),
            RideColumn.Developer(Dev(1, 3, "currHemoPerc", "%", FitBaseType.Float32, 57), Wave(70)),
            RideColumn.Developer(Dev(1, 9, "currHHb", "a.u.", FitBaseType.Float32), new float[N]),
        };
        var channels = ChannelDiscovery.Discover(Frame(cols));
        Assert.Equal(["0:3", "1:3"], channels.Select(c => c.Info.Id));
        Assert.All(channels, c => Assert.Null(c.THb));
    }

    [Fact]
    public void A_name_reused_for_a_different_sensor_in_one_app_gives_a_second_channel()
    {
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 0, "SmO2", "%", FitBaseType.Float32), Wave(60)),
            RideColumn.Developer(Dev(0, 1, "SmO2", "%", FitBaseType.Float32), Wave(45)),
        };
        Assert.Equal(["0:0", "0:1"], ChannelDiscovery.Discover(Frame(cols)).Select(c => c.Info.Id));
    }

    [Fact]
    public void Units_percent_beat_a_hemoglobin_name_and_unrelated_percent_fields_are_ignored()
    {
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 4, "HemoConc", "%", FitBaseType.Float32), Wave(60)),
            RideColumn.Developer(Dev(0, 5, "Grade", "%", FitBaseType.Float32), Wave(3)),
            RideColumn.Developer(Dev(0, 6, "Battery", "%", FitBaseType.UInt8), Wave(80)),
        };
        var ch = Assert.Single(ChannelDiscovery.Discover(Frame(cols)));
        Assert.Equal("0:4", ch.Info.SmO2Field);
        Assert.Null(ch.Info.THbField);
    }

    [Fact]
    public void A_native_field_and_an_app_field_with_the_same_values_are_one_sensor()
    {
        var cols = new[]
        {
            RideColumn.Native(57, Wave(60)),
            RideColumn.Developer(Dev(0, 0, "SmO2", "%", FitBaseType.Float32, 57), Wave(60)),
            RideColumn.Developer(Dev(0, 1, "THb", "g/dL", FitBaseType.Float32, 54), Wave(12)),
        };
        var ch = Assert.Single(ChannelDiscovery.Discover(Frame(cols)));
        Assert.Equal("native", ch.Info.Id);
        Assert.Equal("0:1", ch.Info.THbField);
        Assert.Contains("0:0", ch.Info.DuplicateFields);
    }

    [Fact]
    public void Our_data_field_session_codes_give_muscle_side_and_sensor_and_beat_the_athlete_map()
    {
        var app = new FitDeveloperDataId(0, null, Convert.FromHexString("7a3c5e1f2b4d4c6e9f80a1b2c3d4e5f6"), null, 1);
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 0, "smo2_1", "%", FitBaseType.Float32, 57), Wave(60)),
            RideColumn.Developer(Dev(0, 1, "thb_1", "g/dL", FitBaseType.Float32, 54), Wave(12)),
            RideColumn.Developer(Dev(0, 2, "smo2_2", "%", FitBaseType.Float32), Wave(50)),
            RideColumn.Developer(Dev(0, 3, "thb_2", "g/dL", FitBaseType.Float32), Wave(11)),
        };
        var session = new[]
        {
            Session(0, 50, "muscle_1", 2), Session(0, 51, "side_1", 2), Session(0, 52, "device_1", 4242),
            Session(0, 53, "muscle_2", 7), Session(0, 54, "side_2", 1), Session(0, 55, "device_2", 0),
        };
        var map = new SensorMap([new SensorAssignment(4242, Muscle.Deltoid, Side.Left)]);
        var channels = ChannelDiscovery.Discover(Frame(cols, session, [app]), map);
        Assert.Equal(2, channels.Count);
        var one = channels[0].Info;
        Assert.Equal(("ours:1", 4242u, Muscle.VastusMedialis, Side.Right, IdentitySource.DataField),
            (one.Id, one.Sensor!.Value, one.Muscle, one.Side, one.Source));
        var two = channels[1].Info;
        Assert.Equal(("ours:2", (uint?)null, Muscle.GastrocnemiusLateralHead, Side.Left, Region.Calf),
            (two.Id, two.Sensor, two.Muscle, two.Side, two.Region));
        Assert.Equal("0:3", two.THbField);
    }

    [Fact]
    public void Location_text_names_specific_muscles_and_sides()
    {
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 0, "SmO2 Sensor 12 on VL right", "%", FitBaseType.Float32), Wave(60)),
            RideColumn.Developer(Dev(1, 0, "SmO2 Sensor 13 on Gastroc. med. L", "%", FitBaseType.Float32), Wave(50)),
            RideColumn.Developer(Dev(2, 0, "SmO2 Sensor 14 on R. Calf", "%", FitBaseType.Float32), Wave(40)),
        };
        var c = ChannelDiscovery.Discover(Frame(cols)).Select(x => (x.Info.Sensor, x.Info.Muscle, x.Info.Side, x.Info.Region)).ToArray();
        Assert.Equal(((uint?)12, Muscle.VastusLateralis, Side.Right, Region.Quadriceps), c[0]);
        Assert.Equal(((uint?)13, Muscle.GastrocnemiusMedialHead, Side.Left, Region.Calf), c[1]);
        Assert.Equal(((uint?)14, Muscle.Unknown, Side.Right, Region.Calf), c[2]);
    }

    [Fact]
    public void CIQ_device_info_gives_sensor_number_and_body_location()
    {
        var cols = new[] { RideColumn.Developer(Dev(0, 0, "SmO2", "%", FitBaseType.Float32, 57), Wave(60)) };
        var ciq = new RideDeveloperValue(new FitFieldDescription(0, 2, FitBaseType.UInt8, "CIQ_device_info", null, null, null,
            FitProfile.Session, null, null), [31, 10, 153, 2, 0, 0, 76, 0]);
        var ch = Assert.Single(ChannelDiscovery.Discover(Frame(cols, [ciq])));
        Assert.Equal((665u, Region.Quadriceps, Side.Right, IdentitySource.FileLocation),
            (ch.Info.Sensor!.Value, ch.Info.Region, ch.Info.Side, ch.Info.Source));
    }

    [Fact]
    public void Device_info_sensor_position_places_a_native_channel()
    {
        var devices = new[] { new RideDevice(1, 31, 777, 3, 76, null) };
        var ch = Assert.Single(ChannelDiscovery.Discover(Frame([RideColumn.Native(57, Wave(60))], devices: devices)));
        Assert.Equal((777u, Region.Hamstrings, Side.Left), (ch.Info.Sensor!.Value, ch.Info.Region, ch.Info.Side));
    }

    private static readonly FitDeveloperDataId OurApp = new(0, null, DataFieldContract.ApplicationIdBytes(), null, 1);

    private static RideDeveloperValue Lap(byte app, byte number, string name, double? value) =>
        new(new FitFieldDescription(app, number, FitBaseType.UInt8, name, null, null, null, FitProfile.Lap, null, null), [value]);

    [Fact]
    public void Sensors_3_and_4_of_our_data_field_are_scaled_by_the_contract_and_placed_by_their_lap_codes()
    {
        // Sensor 4 desaturates to 5-13 %: most raw x10 values are below 100, so only the contract tells their scale.
        var deep = Fill(N, i => MathF.Round((9 + 4 * MathF.Sin(i / 5f)) * 10));
        var thb3 = Fill(N, i => i is >= 20 and < 25 ? float.NaN : MathF.Round((11.5f + 0.3f * MathF.Sin(i / 9f)) * 100));
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 0, "smo2_1", "%", FitBaseType.Float32, 57), Wave(60)),
            RideColumn.Developer(Dev(0, 1, "thb_1", "g/dL", FitBaseType.Float32, 54), Wave(12)),
            RideColumn.Developer(Dev(0, 2, "smo2_2", "%", FitBaseType.Float32), Wave(50)),
            RideColumn.Developer(Dev(0, 3, "thb_2", "g/dL", FitBaseType.Float32), Wave(11)),
            RideColumn.Developer(Dev(0, 4, "smo2_3", "%", FitBaseType.UInt16), Wave(44, 10)),
            RideColumn.Developer(Dev(0, 5, "thb_3", "g/dL", FitBaseType.UInt16), thb3),
            RideColumn.Developer(Dev(0, 6, "smo2_4", "%", FitBaseType.UInt16), deep),
            RideColumn.Developer(Dev(0, 7, "thb_4", "g/dL", FitBaseType.UInt16), Wave(10, 100)),
        };
        var session = new[]
        {
            Session(0, 50, "muscle_1", 1), Session(0, 51, "side_1", 1), Session(0, 52, "device_1", 665),
            Session(0, 53, "muscle_2", 1), Session(0, 54, "side_2", 2), Session(0, 55, "device_2", 2001),
        };
        // First lap written before the settings named sensors 3 and 4 (invalid codes), the second with them.
        var laps = new[]
        {
            Lap(0, 22, "device_hi_1", 1), Lap(0, 23, "device_hi_2", 3), Lap(0, 24, "muscle_3", null), Lap(0, 25, "side_3", null),
            Lap(0, 22, "device_hi_1", 1), Lap(0, 23, "device_hi_2", 3), Lap(0, 24, "muscle_3", 2), Lap(0, 25, "side_3", 1),
            Lap(0, 26, "muscle_4", 8), Lap(0, 27, "side_4", 2),
        };
        var frame = new RideFrame(Seconds(N), null, cols, null, null, session, [OurApp], lapDeveloperValues: laps);
        var channels = ChannelDiscovery.Discover(frame);
        Assert.Equal(["ours:1", "ours:2", "ours:3", "ours:4"], channels.Select(c => c.Info.Id));
        var info = channels.Select(c => (c.Info.Sensor, c.Info.Muscle, c.Info.Side, c.Info.Source)).ToArray();
        Assert.Equal((665u + 65536u, Muscle.VastusLateralis, Side.Left, IdentitySource.DataField), ((uint)info[0].Sensor!, info[0].Muscle, info[0].Side, info[0].Source));
        Assert.Equal((2001u + 3 * 65536u, Muscle.VastusLateralis, Side.Right), ((uint)info[1].Sensor!, info[1].Muscle, info[1].Side));
        Assert.Equal(((uint?)null, Muscle.VastusMedialis, Side.Left, IdentitySource.DataField), info[2]);
        Assert.Equal(((uint?)null, Muscle.TibialisAnterior, Side.Right, IdentitySource.DataField), info[3]);
        for (var i = 0; i < N; i++)
        {
            Assert.Equal(Wave(44)[i], channels[2].SmO2![i], 3);
            Assert.Equal(deep[i] / 10, channels[3].SmO2![i], 3);
            Assert.Equal(Wave(10)[i], channels[3].THb![i], 3);
            if (i is >= 20 and < 25) Assert.True(float.IsNaN(channels[2].THb![i]), $"row {i}: 0xFFFF is missing");
            else Assert.Equal(thb3[i] / 100, channels[2].THb![i], 4);
        }
        Assert.InRange(channels[3].SmO2!.Min(), 4.9f, 5.1f);
    }

    [Fact]
    public void A_sensor_of_ours_that_recorded_only_invalid_values_is_no_channel()
    {
        // Sensor 2 switched off: the field still writes its float32 columns, every value the invalid NaN.
        var off = Fill(N, _ => float.NaN);
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 0, "smo2_1", "%", FitBaseType.Float32, 57), Wave(60)),
            RideColumn.Developer(Dev(0, 1, "thb_1", "g/dL", FitBaseType.Float32, 54), Wave(12)),
            RideColumn.Developer(Dev(0, 2, "smo2_2", "%", FitBaseType.Float32), off),
            RideColumn.Developer(Dev(0, 3, "thb_2", "g/dL", FitBaseType.Float32), off),
        };
        var one = Assert.Single(ChannelDiscovery.Discover(Frame(cols, null, [OurApp])));
        Assert.Equal(("ours:1", "0:0", "0:1"), (one.Info.Id, one.Info.SmO2Field, one.Info.THbField));
    }

    [Fact]
    public void A_sensor_of_ours_that_recorded_only_invalid_values_does_not_shift_the_numbers_of_the_others()
    {
        var off = Fill(N, _ => float.NaN);
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 0, "smo2_1", "%", FitBaseType.Float32, 57), off),
            RideColumn.Developer(Dev(0, 1, "thb_1", "g/dL", FitBaseType.Float32, 54), off),
            RideColumn.Developer(Dev(0, 2, "smo2_2", "%", FitBaseType.Float32), Wave(50)),
            RideColumn.Developer(Dev(0, 3, "thb_2", "g/dL", FitBaseType.Float32), Wave(11)),
        };
        var two = Assert.Single(ChannelDiscovery.Discover(Frame(cols, null, [OurApp])));
        Assert.Equal(("ours:2", "0:2"), (two.Info.Id, two.Info.SmO2Field));
    }

    [Fact]
    public void A_second_instance_of_our_data_field_numbers_on_after_the_first_ones_highest_slot()
    {
        var second = new FitDeveloperDataId(1, null, DataFieldContract.ApplicationIdBytes(), null, 1);
        var cols = new[]
        {
            RideColumn.Developer(Dev(0, 0, "smo2_1", "%", FitBaseType.Float32, 57), Wave(60)),
            RideColumn.Developer(Dev(0, 4, "smo2_3", "%", FitBaseType.UInt16), Wave(40, 10)),
            RideColumn.Developer(Dev(1, 0, "smo2_1", "%", FitBaseType.Float32), Wave(70)),
            RideColumn.Developer(Dev(1, 2, "smo2_2", "%", FitBaseType.Float32), Wave(30)),
        };
        var channels = ChannelDiscovery.Discover(Frame(cols, null, [OurApp, second]));
        Assert.Equal(["ours:1", "ours:3", "ours:4", "ours:5"], channels.Select(c => c.Info.Id));
        Assert.Equal(Wave(30)[7], channels[3].SmO2![7], 3);
    }

    [Fact]
    public void A_ride_without_muscle_oxygen_has_no_channels()
    {
        var cols = new[] { RideColumn.Developer(Dev(0, 0, "Core temp", "C", FitBaseType.Float32), Wave(37)) };
        Assert.Empty(ChannelDiscovery.Discover(Frame(cols)));
    }
}
