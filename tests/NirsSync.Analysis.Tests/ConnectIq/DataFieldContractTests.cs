using NirsSync.Fit;
using NirsSync.Fit.Tests;
using NirsSync.Tests.Support;

namespace NirsSync.Analysis.Tests.ConnectIq;

/// <summary>
/// The FIT contract of docs/fit-fields.md as it reaches bytes: the data field's real Monkey C runs in
/// the harness (reference ride and the resting assessment scenario), its FitContributor writes are
/// encoded by NirsSync.Fit's FitWriter as a Garmin unit saves them, and the columnar reader the
/// analysis uses reads them back.
/// </summary>
public class DataFieldContractTests
{
    private static readonly Lazy<(ConnectIqRide.Recording Recording, FitRide Ride)> Reference = new(() =>
    {
        var recording = ConnectIqRide.RecordReferenceRide(Repo.Root);
        return (recording, FitColumnarReader.Read(ConnectIqRide.ToFit(recording)));
    });

    private static readonly Lazy<(ConnectIqRide.Recording Recording, byte[] Fit)> Assessment = new(() =>
    {
        var recording = ConnectIqRide.RecordScenario(Repo.Root, "assessment");
        return (recording, ConnectIqRide.ToFit(recording));
    });

    [Fact]
    public void ApplicationIdIsTheManifestUuidInWrittenByteOrder()
    {
        var id = Assert.Single(Reference.Value.Ride.DeveloperDataIds);
        Assert.Equal(Convert.FromHexString("7a3c5e1f2b4d4c6e9f80a1b2c3d4e5f6"), id.ApplicationId);
        Assert.Equal("7a3c5e1f-2b4d-4c6e-9f80-a1b2c3d4e5f6", id.ApplicationUuid);
    }

    [Theory]
    [InlineData(0, "smo2_1", FitBaseType.Float32, "%", (byte)57)]
    [InlineData(1, "thb_1", FitBaseType.Float32, "g/dL", (byte)54)]
    [InlineData(2, "smo2_2", FitBaseType.Float32, "%", null)]
    [InlineData(22, "device_hi_1", FitBaseType.UInt8, "", null)]
    [InlineData(52, "device_1", FitBaseType.UInt16, "", null)]
    [InlineData(60, "asmt_site", FitBaseType.UInt8, "", null)]
    [InlineData(63, "asmt_sat", FitBaseType.UInt16, "%", null)]
    [InlineData(64, "asmt_hb", FitBaseType.UInt16, "g/dL", null)]
    public void FieldDescriptionsCarryTheContractsNameTypeUnitsAndNativeNumber(int id, string name, FitBaseType type, string units, byte? native)
    {
        var d = Reference.Value.Ride.FieldDescriptions.Single(f => f.FieldDefinitionNumber == id);
        Assert.Equal((name, type, native), (d.Name, d.BaseType, d.NativeFieldNumber));
        Assert.Equal(units, d.Units ?? "");
        Assert.Null(d.Scale);
        Assert.Equal(native is null ? null : (ushort?)FitProfile.Record, d.NativeMessageNumber);
    }

    [Fact]
    public void EveryMissingSampleTheFieldWroteIsTheFitInvalidFloat()
    {
        // ToFit refuses a NaN whose bits are not 0xFFFFFFFF; here every missing sample arrives as invalid.
        var sent = Reference.Value.Recording.RecordValues(0);
        var column = Reference.Value.Ride.Records.Columns.Single(c => c.Description?.FieldDefinitionNumber == 0);
        Assert.Equal(sent.Length, Reference.Value.Ride.Records.Count);
        Assert.Equal(sent.Count(float.IsNaN), column.Values.Take(sent.Length).Count(float.IsNaN));
        Assert.InRange(sent.Count(float.IsNaN), 40, 200);
    }

    private sealed record SpotEntry(uint Time, int Site, int Muscle, int Side, double SmO2, double THb);

    /// <summary>The spot-check entries per docs/fit-fields.md: the first record of each new asmt_site 1-8.</summary>
    private static List<SpotEntry> SpotCheck(FitRide ride)
    {
        FitColumn Column(int id) => ride.Records.Columns.Single(c => c.Source == FitColumnSource.Developer && c.Description?.FieldDefinitionNumber == id);
        var (site, muscle, side, smo2, thb) = (Column(60), Column(61), Column(62), Column(63), Column(64));
        var entries = new List<SpotEntry>();
        var last = float.NaN;
        for (var i = 0; i < ride.Records.Count; i++)
        {
            var s = site.Values[i];
            if (s >= 1 && s <= 8 && !s.Equals(last))
                entries.Add(new SpotEntry(ride.Records.Timestamp[i], (int)s, (int)muscle.Values[i], (int)side.Values[i], smo2.Values[i] / 10.0, thb.Values[i] / 100.0));
            last = s;
        }
        return entries;
    }

    [Fact]
    public void AssessmentFileCarriesEightSpotCheckEntriesWithMuscleSideAndValues()
    {
        var ride = FitColumnarReader.Read(Assessment.Value.Fit);
        var entries = SpotCheck(ride);
        // The scenario's plan: GM L, GL L, GM R, GL R, VL L, VM L, VL R, VM R (muscle 6/7/1/2, side 1/2).
        Assert.Equal([(6, 1), (7, 1), (6, 2), (7, 2), (1, 1), (2, 1), (1, 2), (2, 2)], entries.Select(e => (e.Muscle, e.Side)));
        Assert.Equal(Enumerable.Range(1, 8), entries.Select(e => e.Site));
        double[] smo2 = [55.0, 60.0, 57.0, 62.0, 70.0, 66.0, 72.0, 68.0];
        double[] thb = [11.20, 11.50, 11.30, 11.60, 12.40, 12.10, 12.50, 12.20];
        for (var k = 0; k < 8; k++)
        {
            Assert.InRange(entries[k].SmO2, smo2[k] - 0.2, smo2[k] + 0.2);
            Assert.InRange(entries[k].THb, thb[k] - 0.02, thb[k] + 0.02);
        }
        Assert.True(entries.Zip(entries.Skip(1)).All(p => p.Second.Time - p.First.Time >= 30), "sites at least one hold apart");
    }

    [Fact]
    public void OnlyAnAssessmentActivityCarriesTheMarker()
    {
        var assessment = FitColumnarReader.Read(Assessment.Value.Fit);
        var marker = assessment.Records.Columns.Single(c => c.Description?.FieldDefinitionNumber == 60);
        Assert.Equal(0f, marker.Values[0]);
        var reference = Reference.Value.Ride.Records.Columns.Single(c => c.Description?.FieldDefinitionNumber == 60);
        Assert.All(reference.Values.Take(Reference.Value.Ride.Records.Count), v => Assert.True(float.IsNaN(v), "0xFF (invalid) outside assessment mode"));
        Assert.Empty(SpotCheck(Reference.Value.Ride));
    }

    [Fact]
    public void AssessmentFileIsReadWithoutErrorsByGarminsSdk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nirssync-ciq-asmt-{Guid.NewGuid():N}.fit");
        File.WriteAllBytes(path, Assessment.Value.Fit);
        try
        {
            Assert.Empty(GarminOracle.Decode(path).Errors);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
