using NirsSync.Fit;
using NirsSync.Fit.Tests;
using NirsSync.Tests.Support;

namespace NirsSync.Analysis.Tests.ConnectIq;

/// <summary>
/// The four-sensor layout of docs/fit-fields.md end to end: the data field's real Monkey C reads four simulated
/// Moxys in the harness (tests/connectiq/scenarios/four-sensor-ride.mjs: VL left and right with ANT+ extended
/// 20-bit device numbers, VM left and right as sensors 3 and 4); its writes become a FIT file; channel discovery
/// finds four channels with their muscles, sides, values and full device numbers.
/// </summary>
public class FourSensorRideTests
{
    private static readonly Lazy<(ConnectIqRide.Recording Recording, FitRide Ride)> Four = new(() =>
    {
        var recording = ConnectIqRide.RecordScenario(Repo.Root, "four-sensor");
        return (recording, FitColumnarReader.Read(ConnectIqRide.ToFit(recording)));
    });

    private static readonly Lazy<FitRide> Assessment = new(() =>
        FitColumnarReader.Read(ConnectIqRide.ToFit(ConnectIqRide.RecordScenario(Repo.Root, "assessment"))));

    [Fact]
    public void DiscoveryFindsFourSensorsWithTheirMusclesSidesAndTwentyBitDeviceNumbers()
    {
        var channels = ChannelDiscovery.Discover(RideFrame.FromFitRide(Four.Value.Ride));
        Assert.Equal(["ours:1", "ours:2", "ours:3", "ours:4"], channels.Select(c => c.Info.Id));
        Assert.Equal(
            [
                (665u + 65536u, Muscle.VastusLateralis, Side.Left), (2001u + 3 * 65536u, Muscle.VastusLateralis, Side.Right),
                ((uint?)null, Muscle.VastusMedialis, Side.Left), ((uint?)null, Muscle.VastusMedialis, Side.Right),
            ],
            channels.Select(c => (c.Info.Sensor, c.Info.Muscle, c.Info.Side)));
        Assert.All(channels, c => Assert.Equal(IdentitySource.DataField, c.Info.Source));
        Assert.Equal(["0:4", "0:6"], channels.Skip(2).Select(c => c.Info.SmO2Field));
        Assert.Equal(["0:5", "0:7"], channels.Skip(2).Select(c => c.Info.THbField));
    }

    [Fact]
    public void ChannelValuesOfSensors3And4AreTheRecordedIntegersScaledByTheContract()
    {
        var (recording, ride) = Four.Value;
        var channels = ChannelDiscovery.Discover(RideFrame.FromFitRide(ride));
        foreach (var (channel, smo2Id, thbId) in new[] { (channels[2], 4, 5), (channels[3], 6, 7) })
        {
            var smo2 = recording.RecordValues(smo2Id);
            var thb = recording.RecordValues(thbId);
            Assert.Equal(smo2.Length, ride.Records.Count);
            for (var i = 0; i < smo2.Length; i++)
            {
                Assert.True(smo2[i] == 0xFFFF ? float.IsNaN(channel.SmO2![i]) : Math.Abs(smo2[i] / 10 - channel.SmO2![i]) < 1e-4,
                    $"{channel.Info.Id} record {i}: raw {smo2[i]}, channel {channel.SmO2![i]}");
                Assert.True(thb[i] == 0xFFFF ? float.IsNaN(channel.THb![i]) : Math.Abs(thb[i] / 100 - channel.THb![i]) < 1e-4,
                    $"{channel.Info.Id} record {i}: raw {thb[i]}, channel {channel.THb![i]}");
            }
        }
        // Sensor 3 was out of range for 20 s: its 0xFFFF records are missing values, not 6553.5 %.
        Assert.InRange(channels[2].SmO2!.Count(float.IsNaN), 18, 24);
        Assert.True(channels[2].SmO2!.Where(v => !float.IsNaN(v)).All(v => v is > 30 and < 60), "sensor 3 between 36 and 52 %");
        // Sensor 4 desaturated to 5-13 %: scaled by the contract although most raw values are below 100.
        var deep = channels[3].SmO2!.Where(v => !float.IsNaN(v)).ToArray();
        Assert.True(deep.Length > 280, $"sensor 4: {deep.Length} values");
        Assert.InRange(deep.Min(), 4.9f, 6f);
        Assert.InRange(deep.Max(), 12f, 13.1f);
    }

    [Fact]
    public void TheFourSensorRideIsAnalysedWithItsPartnerPairs()
    {
        var analysis = RideAnalyzer.Analyze(Four.Value.Ride);
        Assert.Equal(4, analysis.Channels.Count);
        var relations = analysis.Pairs.Select(p => p.Relation).ToList();
        Assert.Equal(2, relations.Count(r => r == PairRelation.LeftRight));
        Assert.Equal(2, relations.Count(r => r == PairRelation.VastusLateralisMedialis));
    }

    [Fact]
    public void TheFourSensorFileIsReadWithoutErrorsByGarminsSdk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nirssync-ciq-four-{Guid.NewGuid():N}.fit");
        File.WriteAllBytes(path, ConnectIqRide.ToFit(Four.Value.Recording));
        try
        {
            Assert.Empty(GarminOracle.Decode(path).Errors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ASensorSwitchedOffIsNoChannel()
    {
        // The assessment scenario rides with sensor 2 off: the field still writes smo2_2/thb_2, every value invalid.
        var ride = Assessment.Value;
        var off = ride.Records.Columns.Single(c => c.Description?.FieldDefinitionNumber == 2);
        Assert.All(off.Values.Take(ride.Records.Count), v => Assert.True(float.IsNaN(v)));
        var channel = Assert.Single(ChannelDiscovery.Discover(RideFrame.FromFitRide(ride)));
        Assert.Equal(("ours:1", 665u), (channel.Info.Id, channel.Info.Sensor!.Value));
    }
}
