using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Analysis.Tests;

/// <summary>
/// Issue 12: decoding and analysing any input (as <c>nirssync inspect</c> and the server's ingest do) allocates at
/// most 100 MB + 20 x its size, for generated hostile shapes, with or without damage. Allocated bytes (of this
/// thread; a ride's analysis is single-threaded) bound the peak from above; they are deterministic for an input but
/// for the scratch rows rented from the shared array pool, which are allocated only when the pool has none.
/// The long run is <c>nirssync bench fuzz --files 1000000</c> (docs/performance.md).
/// </summary>
public class MemoryBoundProperties
{
    private static long Bound(long size) => 100_000_000 + 20 * size;

    /// <summary>Decodes leniently and analyses; returns the bytes allocated. Only the codec's exception may escape.</summary>
    private static long DecodeAndAnalyze(byte[] bytes)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var ride = FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient);
            _ = RideAnalyzer.Analyze(ride);
        }
        catch (FitFormatException)
        {
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static readonly Gen<(HostileShape Shape, int Size, int Flips, int Seed)> Inputs =
        from shape in Gen.Elements(Enum.GetValues<HostileShape>())
        from size in Gen.Choose(20_000, 2_500_000)
        from flips in Gen.Choose(0, 8)
        from seed in Gen.Choose(0, int.MaxValue)
        select (shape, size, flips, seed);

    [Property(MaxTest = 40)]
    public Property HostileShapesStayWithinTheMemoryBound() => Prop.ForAll(Inputs.ToArbitrary(), input =>
    {
        var bytes = HostileFit.Generate(input.Shape, input.Size);
        var random = new Random(input.Seed);
        for (var i = 0; i < input.Flips; i++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        var allocated = DecodeAndAnalyze(bytes);
        return (allocated <= Bound(bytes.Length))
            .Label($"{input.Shape} {bytes.Length} bytes, {input.Flips} flips (seed {input.Seed}): {allocated} allocated, bound {Bound(bytes.Length)}");
    });

    [Theory]
    [InlineData(HostileShape.ManyDeveloperFields, 500_000)]
    [InlineData(HostileShape.ManyMuscleOxygenFields, 500_000)]
    // Found by the property in CI: two million one-byte records without power, whose mean SmO2 signal allocated
    // an enumerator a row (144 MB for a bound of 140 MB).
    [InlineData(HostileShape.ManyMuscleOxygenFields, 2_000_000)]
    [InlineData(HostileShape.EmptyMessages, 5_000_000)]
    [InlineData(HostileShape.EmptyRecords, 1_900_000)]
    [InlineData(HostileShape.RepeatedDescriptions, 10_000_000)]
    [InlineData(HostileShape.HugeDeclaredSize, 10_000_000)]
    [InlineData(HostileShape.ChainedHeaders, 10_000_000)]
    [InlineData(HostileShape.ManyDefinitions, 10_000_000)]
    public void TheIssuesHostileFilesStayWithinTheMemoryBound(HostileShape shape, int size)
    {
        var bytes = HostileFit.Generate(shape, size);
        var allocated = DecodeAndAnalyze(bytes);
        Assert.True(allocated <= Bound(bytes.Length), $"{shape}: {allocated} bytes allocated for {bytes.Length}, bound {Bound(bytes.Length)}");
    }

    [Fact]
    public void ARideWithoutPowerAllocatesPerChannelNotPerRow()
    {
        // Efforts of a ride without power come from the mean SmO2 signal; it once allocated an enumerator a row.
        var frame = RideFrame.FromFitRide(FitColumnarReader.Read(HostileFit.Generate(HostileShape.ManyMuscleOxygenFields, 1_000_000)));
        Assert.Null(frame.Power);
        Assert.True(frame.Count > 990_000);
        _ = RideAnalyzer.Analyze(frame); // rents the pooled row arrays on this thread
        var before = GC.GetAllocatedBytesForCurrentThread();
        var analysis = RideAnalyzer.Analyze(frame);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Single(analysis.Channels);
        // The kept series (SmO2 and tHb, 4 bytes a row each) and the results; the three scratch rows (4 MB each) come
        // from the pool, but a full GC may have emptied it, so room is left for them. An enumerator a row is 32 MB.
        var kept = 2L * sizeof(float) * frame.Count;
        Assert.True(allocated < kept + 17_000_000, $"{allocated} bytes allocated for {frame.Count} rows, of which {kept} kept");
    }

    [Fact]
    public void LeavingOutAWrongClocksFirstRecordCostsOneCopyOfTheRows()
    {
        // The worst place for a stray record is the first row: the kept rows start at 1, so every column is copied
        // (from row 0 the values are shared). One copy of the timestamps and the one column is 8 bytes a row.
        var frame = RideFrame.FromFitRide(FitColumnarReader.Read(HostileFit.Generate(HostileShape.ManyMuscleOxygenFields, 1_000_000)));
        // Every record but the first 30 days later (the file's timestamps start near 0, so the first cannot go earlier).
        var ts = Array.ConvertAll(frame.Timestamp, t => t + 30 * 86_400);
        ts[0] = frame.Timestamp[0];
        var stray = new RideFrame(ts, frame.Power, frame.Columns, frame.Laps, frame.Devices, frame.SessionDeveloperValues,
            frame.DeveloperDataIds, frame.HeartRate, frame.LapDeveloperValues);
        _ = RideAnalyzer.Analyze(frame); // rents the pooled row arrays on this thread
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = RideAnalyzer.Analyze(frame);
        var whole = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var analysis = RideAnalyzer.Analyze(stray);
        var withStray = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1, analysis.RowsLeftOut);
        var copy = 8L * frame.Count;
        Assert.True(withStray - whole < copy + 2_000_000, $"{withStray - whole} bytes more with the stray record, one copy is {copy}");
    }

    [Fact]
    public void HundredsOfSparseMuscleOxygenFieldsAreNotAllAnalysedOverAMillionRows()
    {
        // 254 fields named as sensors of their own, each on 2 of 500,000 records: before issue 12, 139 channels and 1.35 GB.
        var ride = FitColumnarReader.Read(HostileFit.Generate(HostileShape.ManyMuscleOxygenFields, 500_000));
        var frame = RideFrame.FromFitRide(ride);
        Assert.Single(frame.Columns);
        Assert.Equal(254, ride.Records.Columns.Count);
    }

    [Fact]
    public void ARideWhoseRowsAreYearsApartIsAnalysedNotCrashed()
    {
        // Found by `nirssync bench fuzz`: a median step over 2^30 s overflowed an index in the timing summary.
        // The two rows are 95 years apart, so the second is left out as a wrong clock's (the earlier of equal parts is kept)...
        var analysis = RideAnalyzer.Analyze(new RideFrame([0, 3_000_000_000], null, []));
        Assert.Equal(1, analysis.Rows);
        Assert.Equal(1, analysis.RowsLeftOut);
        Assert.Equal(0, analysis.DurationS);
        // ...and with no gap limit to speak of, both are analysed through the timing summary as before.
        var whole = RideAnalyzer.Analyze(new RideFrame([0, 3_000_000_000], null, []), options: new AnalysisOptions { MaxRecordGapS = 1e10 });
        Assert.Equal(2, whole.Rows);
        Assert.Equal(3_000_000_000, whole.DurationS);
    }
}
