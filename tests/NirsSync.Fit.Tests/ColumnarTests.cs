namespace NirsSync.Fit.Tests;

/// <summary>The columnar path agrees with the message API on every corpus file.</summary>
public class ColumnarTests
{
    public static TheoryData<string> Files() => Repo.CorpusTheory();

    [Theory]
    [MemberData(nameof(Files))]
    public void ColumnsEqualTheMessageApiRecordByRecord(string file)
    {
        var bytes = File.ReadAllBytes(Repo.CorpusFile(file));
        var messages = FitDecoder.Decode(bytes, FitDecodeOptions.Lenient);
        var ride = FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient);
        var records = messages.Messages.Where(m => m.GlobalNumber == FitProfile.Record).ToList();
        Assert.Equal(records.Count, ride.Records.Count);
        Assert.Equal(messages.Messages.Count - records.Count, ride.Messages.Count);
        var r = ride.Records;
        uint last = 0;
        var part = 0;
        var i = -1;
        foreach (var m in messages.Messages)
        {
            if (m.Part != part) (part, last) = (m.Part, 0u); // each chained file starts its own clock
            if (m.GlobalNumber != FitProfile.Record && m.Timestamp is { } t) last = t;
            if (m.GlobalNumber != FitProfile.Record) continue;
            i++;
            // A record without a timestamp of its own takes the last time seen in the file.
            last = m.Timestamp ?? last;
            Assert.Equal(last, r.Timestamp[i]);
            Same(m.GetScaled(7), r.Power[i], file, i, "power");
            Same(m.GetScaled(3), r.HeartRate[i], file, i, "heart rate");
            Same(m.GetScaled(4), r.Cadence[i], file, i, "cadence");
            Same(m.GetScaled(5), r.Distance[i], file, i, "distance");
            Same(m.GetScaled(73) ?? m.GetScaled(6), r.Speed[i], file, i, "speed");
            foreach (var column in r.Columns)
            {
                double? expected = column.Source == FitColumnSource.Native
                    ? m.GetScaled(column.FieldNumber)
                    : m.DeveloperFields.Where(d => d.DeveloperDataIndex == column.DeveloperDataIndex && d.Number == column.FieldNumber)
                        .Select(d => d.Value.GetDoubleOrNull(0)).FirstOrDefault();
                Same(expected, column.Values[i], file, i, column.Key);
            }
        }
    }

    private static void Same(double? expected, float actual, string file, int row, string what) =>
        Assert.True(expected is null ? float.IsNaN(actual) : (float)expected.Value == actual,
            $"{file} record {row} {what}: expected {expected?.ToString() ?? "missing"}, columnar {actual}");

    [Fact]
    public void MoxyFileHasItsDeveloperMuscleOxygenColumns()
    {
        var ride = FitColumnarReader.Read(File.ReadAllBytes(Repo.CorpusFile("runalyze/moxy-float.fit")));
        var smo2 = Assert.Single(ride.Records.Columns, c => c.Description?.NativeFieldNumber == 57);
        Assert.Equal("1st SmO2 Sensor 665 on L. Quad", smo2.Description!.Name);
        Assert.Equal(36f, smo2.Values[1]);
        var thb = Assert.Single(ride.Records.Columns, c => c.Description?.NativeFieldNumber == 54);
        Assert.Equal(13.09f, thb.Values[1]);
    }
}
