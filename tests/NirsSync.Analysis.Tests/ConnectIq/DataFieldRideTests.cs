using NirsSync.Fit;
using NirsSync.Fit.Tests;
using NirsSync.Tests.Support;

namespace NirsSync.Analysis.Tests.ConnectIq;

/// <summary>
/// End to end: the Connect IQ data field's real Monkey C, run by the harness against two simulated
/// Moxys (665 on the left vastus lateralis, 2001 on the right), records a one-hour ride; its
/// FitContributor writes become a FIT activity file; channel discovery finds both sensors with
/// their muscles, sides and the values they sent.
/// </summary>
public class DataFieldRideTests
{
    private static readonly Lazy<(ConnectIqRide.Recording Recording, byte[] Fit)> Ride = new(() =>
    {
        var recording = ConnectIqRide.RecordReferenceRide(Repo.Root);
        return (recording, ConnectIqRide.ToFit(recording));
    });

    [Fact]
    public void RecordedRideIsAFitFileGarminsSdkReadsWithoutErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nirssync-ciq-{Guid.NewGuid():N}.fit");
        File.WriteAllBytes(path, Ride.Value.Fit);
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
    public void DiscoveryFindsBothSensorsWithTheirMusclesSidesAndDeviceNumbers()
    {
        var analysis = RideAnalyzer.Analyze(FitColumnarReader.Read(Ride.Value.Fit));
        Assert.Equal(2, analysis.Channels.Count);
        var left = analysis.Channels.Single(c => c.Channel.Side == Side.Left).Channel;
        var right = analysis.Channels.Single(c => c.Channel.Side == Side.Right).Channel;
        Assert.Equal((665u, Muscle.VastusLateralis, IdentitySource.DataField), (left.Sensor!.Value, left.Muscle, left.Source));
        Assert.Equal((2001u, Muscle.VastusLateralis, IdentitySource.DataField), (right.Sensor!.Value, right.Muscle, right.Source));
        var pair = Assert.Single(analysis.Pairs);
        Assert.Equal(PairRelation.LeftRight, pair.Relation);
    }

    [Fact]
    public void ChannelValuesAreWhatTheSimulatedSensorsSent()
    {
        var recording = Ride.Value.Recording;
        var ride = FitColumnarReader.Read(Ride.Value.Fit);
        var analysis = RideAnalyzer.Analyze(ride);
        foreach (var (id, side) in new[] { (0, Side.Left), (2, Side.Right) })
        {
            var sent = recording.RecordValues(id);
            var column = ride.Records.Columns.Single(c => c.Description?.FieldDefinitionNumber == id && c.Description.DeveloperDataIndex == 0);
            Assert.Equal(sent.Length, ride.Records.Count);
            for (var i = 0; i < sent.Length; i++)
                Assert.True(float.IsNaN(sent[i]) ? float.IsNaN(column.Values[i]) : sent[i] == column.Values[i],
                    $"record {i} field {id}: sent {sent[i]}, file {column.Values[i]}");

            // The channel keeps what was sent (cleaning may only drop frozen runs), and its P50 is the median.
            var valid = sent.Where(v => !float.IsNaN(v) && v > 0).Order().ToArray();
            var metrics = analysis.Channels.Single(c => c.Channel.Side == side);
            Assert.True(valid.Length > 3000, $"{side}: only {valid.Length} valid samples");
            Assert.InRange(metrics.Quality.ValidSmO2, valid.Length * 9 / 10, valid.Length);
            Assert.InRange(metrics.SmO2.P50!.Value, valid[(valid.Length - 1) / 2] - 0.5, valid[valid.Length / 2] + 0.5);
        }
    }

    [Fact]
    public void LapAndSessionStatisticsFromTheFieldAgreeWithItsRecords()
    {
        var recording = Ride.Value.Recording;
        var sent = recording.RecordValues(0).Where(v => !float.IsNaN(v) && v > 0).ToArray();
        var session = recording.SessionValues;
        Assert.Equal(Math.Round(sent.Min() * 10), session.GetProperty("31").GetInt32());
        Assert.Equal(Math.Round(sent.Max() * 10), session.GetProperty("32").GetInt32());
        Assert.InRange(session.GetProperty("30").GetInt32(), Math.Round(sent.Average() * 10) - 1, Math.Round(sent.Average() * 10) + 1);
    }
}
