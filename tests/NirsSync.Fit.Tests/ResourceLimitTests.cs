using NirsSync.Fit.Synthetic;
using Xunit.Abstractions;

namespace NirsSync.Fit.Tests;

/// <summary>
/// Issue 12: hard limits of <see cref="FitDecodeOptions"/> refuse hostile files with
/// <see cref="FitErrorKind.LimitExceeded"/> at the byte where the limit was passed, in both modes and in
/// both readers; every real file passes the defaults; columns hold only the rows that carry a value.
/// </summary>
public class ResourceLimitTests(ITestOutputHelper output)
{
    // The generator's layout: a 14-byte header, then (for RepeatedDescriptions) a developer_data_id definition
    // (12 bytes) and message (18), a field_description definition (18) and 20-byte description messages.
    private const int FirstDescription = 14 + 12 + 18 + 18;

    public static TheoryData<bool> Modes() => new() { false, true };

    private static FitDecodeOptions Options(bool lenient) => lenient ? FitDecodeOptions.Lenient : FitDecodeOptions.Strict;

    [Theory]
    [MemberData(nameof(Modes))]
    public void RepeatedFieldDescriptionsAreRefusedAtTheFirstOneOverTheLimit(bool lenient)
    {
        var bytes = HostileFit.RepeatedDescriptions(1_000_000);
        var options = Options(lenient);
        foreach (var read in new Action[] { () => FitColumnarReader.Read(bytes, options), () => FitDecoder.Decode(bytes, options) })
        {
            var e = Assert.Throws<FitFormatException>(read);
            Assert.Equal(FitErrorKind.LimitExceeded, e.Kind);
            Assert.Equal(nameof(FitDecodeOptions.MaxDeveloperFields), e.Limit);
            Assert.Equal(FirstDescription + 1024 * 20, e.Offset);
            Assert.Contains("more than 1,024 developer field descriptions", e.Message);
            Assert.Contains("FitDecodeOptions.MaxDeveloperFields", e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ZeroFieldMessagesPastMaxMessagesAreRefused(bool lenient)
    {
        var bytes = HostileFit.EmptyMessages(20_000, 78);
        var options = Options(lenient) with { MaxMessages = 1000 };
        // Header (14), one definition without fields (6), then one byte per message: message 1001 is at 1020.
        var e = Assert.Throws<FitFormatException>(() => FitColumnarReader.Read(bytes, options));
        Assert.Equal((FitErrorKind.LimitExceeded, nameof(FitDecodeOptions.MaxMessages), 1020L), (e.Kind, e.Limit, e.Offset));
        e = Assert.Throws<FitFormatException>(() => FitDecoder.Decode(bytes, options));
        Assert.Equal((FitErrorKind.LimitExceeded, nameof(FitDecodeOptions.MaxMessages), 1020L), (e.Kind, e.Limit, e.Offset));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void RecordRowsPastMaxRecordRowsAreRefused(bool lenient)
    {
        var bytes = HostileFit.EmptyMessages(20_000, FitProfile.Record);
        var e = Assert.Throws<FitFormatException>(() => FitColumnarReader.Read(bytes, Options(lenient) with { MaxRecordRows = 1000 }));
        Assert.Equal((FitErrorKind.LimitExceeded, nameof(FitDecodeOptions.MaxRecordRows), 1020L), (e.Kind, e.Limit, e.Offset));
        Assert.Equal(1000, FitColumnarReader.Read(bytes.AsSpan(0, 1020).ToArray(), FitDecodeOptions.Lenient with { MaxRecordRows = 1000 }).Records.Count);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void DistinctDefinitionsPastMaxDefinitionsAreRefused(bool lenient)
    {
        var bytes = HostileFit.ManyDefinitions(100_000);
        // Each step is a 255-field definition (771 bytes) and its record (256 bytes): the 11th starts at 14 + 10 x 1027.
        var e = Assert.Throws<FitFormatException>(() => FitDecoder.Decode(bytes, Options(lenient) with { MaxDefinitions = 10 }));
        Assert.Equal((FitErrorKind.LimitExceeded, nameof(FitDecodeOptions.MaxDefinitions), 14L + 10 * 1027), (e.Kind, e.Limit, e.Offset));
        Assert.Contains("more than 10 distinct definition layouts", e.Message);
    }

    [Fact]
    public void EveryCorpusFilePassesTheDefaultLimitsWithRoomToSpare()
    {
        int descriptions = 0, definitions = 0, messages = 0, rows = 0;
        foreach (var file in Repo.CorpusFiles)
        {
            var bytes = File.ReadAllBytes(Repo.CorpusFile(file));
            // Lenient so that damaged corpus files are read as far as they go; a limit would still throw.
            var fit = FitDecoder.Decode(bytes, FitDecodeOptions.Lenient);
            var ride = FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient);
            descriptions = Math.Max(descriptions, fit.Messages.Count(m => m.GlobalNumber == FitProfile.FieldDescription));
            definitions = Math.Max(definitions, fit.Messages.Select(m => m.Definition).Distinct().Count());
            messages = Math.Max(messages, fit.Messages.Count);
            rows = Math.Max(rows, ride.Records.Count);
        }
        output.WriteLine($"corpus maxima: {descriptions} field descriptions, {definitions} definitions in use, {messages} messages, {rows} record rows");
        var d = FitDecodeOptions.Strict;
        Assert.True(descriptions * 10 <= d.MaxDeveloperFields, $"{descriptions} descriptions");
        Assert.True(definitions * 10 <= d.MaxDefinitions, $"{definitions} definitions");
        Assert.True(messages * 10 <= d.MaxMessages, $"{messages} messages");
        Assert.True(rows * 10 <= d.MaxRecordRows, $"{rows} rows");
    }

    [Fact]
    public void DeveloperFieldsOnTwoRecordsOfHalfAMillionHoldTwoValuesEach()
    {
        var bytes = HostileFit.ManyDeveloperFields(500_000, 254);
        var ride = FitColumnarReader.Read(bytes);
        var n = ride.Records.Count;
        Assert.True(n > 490_000, $"{n} rows");
        Assert.Equal(254, ride.Records.Columns.Count);
        foreach (var c in ride.Records.Columns)
        {
            Assert.Equal(2, c.ValueCount);
            // The row-per-row array, when asked for, has the two values in place and NaN between.
            var field = c.FieldNumber;
            Assert.Equal(field % 200, c.Values[0]);
            Assert.Equal(field % 200, c.Values[n - 1]);
            Assert.True(float.IsNaN(c.Values[n / 2]));
        }
        Assert.False(ride.Records.HasPower);
        Assert.Equal([1000u, 1000u], new[] { ride.Records.Timestamp[0], ride.Records.Timestamp[1] });
        Assert.Equal(2000u, ride.Records.Timestamp[n - 1]);
    }

    [Fact]
    public void DecodingHostileShapesAllocatesInProportionToTheValuesTheyCarry()
    {
        // Before issue 12 the 254-field shape allocated 1.87 GB for 0.5 MB; the bound of the issue is 100 MB + 20 x size
        // for decode and analysis together; the decode alone needs no fixed part (a row costs a 4-byte timestamp, grown
        // geometrically and trimmed once, and each row takes at least one byte).
        foreach (var shape in Enum.GetValues<HostileShape>())
        {
            var bytes = HostileFit.Generate(shape, 500_000);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try { _ = FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient).Records.Count; }
            catch (FitFormatException e) when (e.Kind == FitErrorKind.LimitExceeded) { }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            output.WriteLine($"{shape}: {allocated / 1e6:F1} MB");
            Assert.True(allocated < 20L * bytes.Length, $"{shape}: {allocated} bytes allocated for {bytes.Length}");
        }
    }

    [Fact]
    public void MessagesAreReadAgainOnDemandWithTheDescriptionsInForceWhereTheyStand()
    {
        var ride = FitColumnarReader.Read(HostileFit.ManyDeveloperFields(10_000, 3));
        var descriptions = ride.MessagesOf(FitProfile.FieldDescription);
        Assert.Equal(3, descriptions.Count);
        Assert.Equal(["field_0", "field_1", "field_2"], descriptions.Select(m => m.GetString(3)));
        Assert.Empty(ride.MessagesOf(FitProfile.Lap));
        var seen = new List<ushort>();
        ride.ForEachMessage(null, m => seen.Add(m.GlobalNumber));
        Assert.Equal(ride.Messages.Select(m => m.GlobalNumber), seen);
        Assert.Equal([FitProfile.DeveloperDataId, FitProfile.FieldDescription, FitProfile.FieldDescription, FitProfile.FieldDescription], seen);
    }
}
