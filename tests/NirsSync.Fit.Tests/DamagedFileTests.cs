namespace NirsSync.Fit.Tests;

/// <summary>The corpus's damaged files give the right error in strict mode and the right partial result in lenient mode.</summary>
public class DamagedFileTests
{
    private static byte[] Read(string file) => File.ReadAllBytes(Repo.CorpusFile(file));

    [Theory]
    // file, kind, offset of the damage, messages kept in lenient mode
    [InlineData("python-fitparse/activity-filecrc.fit", FitErrorKind.FileCrcMismatch, 769, 22)]
    [InlineData("python-fitparse/activity-activity-filecrc.fit", FitErrorKind.FileCrcMismatch, 1540, 44)]
    [InlineData("python-fitparse/activity-settings-corruptheader.fit", FitErrorKind.BadHeader, 779, 22)]
    [InlineData("python-fitparse/activity-settings-nodata.fit", FitErrorKind.UnexpectedEnd, 783, 22)]
    [InlineData("python-fitparse/activity-unexpected-eof.fit", FitErrorKind.UnexpectedEnd, 751, 21)]
    [InlineData("python-fitparse/nick.fit", FitErrorKind.UnexpectedEnd, 403437, 14412)]
    [InlineData("python-fitparse/strava-android-app-201.10-b1218918.fit", FitErrorKind.UndefinedLocalType, 7471, 488)]
    public void DamagedFileFailsStrictlyAndKeepsWhatIsReadableLeniently(string file, FitErrorKind kind, long offset, int kept)
    {
        var bytes = Read(file);
        var e = Assert.Throws<FitFormatException>(() => FitDecoder.Decode(bytes));
        Assert.Contains($"byte {e.Offset}", e.Message);

        var lenient = FitDecoder.Decode(bytes, FitDecodeOptions.Lenient);
        Assert.NotNull(lenient.Damage);
        Assert.Equal(kind, lenient.Damage!.Kind);
        Assert.Equal(offset, lenient.Damage.Offset);
        Assert.Equal(kept, lenient.Messages.Count);

        var columnar = FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient);
        Assert.Equal(lenient.Damage, columnar.Damage);
        Assert.Equal(lenient.Messages.Count(m => m.GlobalNumber == FitProfile.Record), columnar.Records.Count);
    }

    [Fact]
    public void StrictModeNamesTheDeclaredSizeWhenTheInputIsShorter()
    {
        var e = Assert.Throws<FitFormatException>(() => FitDecoder.Decode(Read("python-fitparse/activity-unexpected-eof.fit")));
        Assert.Equal(FitErrorKind.UnexpectedEnd, e.Kind);
        Assert.Contains("declares 757 data bytes", e.Message);
    }

    [Fact]
    public void CorruptSecondHeaderInAChainNamesTheBadDataType()
    {
        var e = Assert.Throws<FitFormatException>(() => FitDecoder.Decode(Read("python-fitparse/activity-settings-corruptheader.fit")));
        Assert.Equal(FitErrorKind.BadHeader, e.Kind);
        Assert.Contains("\".GIT\"", e.Message);
    }

    [Fact]
    public void CrcMismatchInLenientModeStillReturnsEveryMessageAndReportsBothCrcs()
    {
        var fit = FitDecoder.Decode(Read("python-fitparse/activity-filecrc.fit"), FitDecodeOptions.Lenient);
        var part = Assert.Single(fit.Parts);
        Assert.Equal((ushort)0xB1D5, part.StoredCrc);
        Assert.Equal((ushort)0xA1D5, part.ComputedCrc);
        Assert.False(part.CrcOk);
    }

    [Theory]
    [InlineData("python-fitparse/activity-settings.fit", 2, 25)]
    [InlineData("python-fitparse/event_timestamp.fit", 5, 6202)]
    [InlineData("python-fitparse/sample_mulitple_header.fit", 4, 3023)]
    public void ChainedFilesAreAllRead(string file, int parts, int messages)
    {
        var fit = FitDecoder.Decode(Read(file));
        Assert.Equal(parts, fit.Parts.Count);
        Assert.Equal(messages, fit.Messages.Count);
        Assert.All(fit.Parts, p => Assert.True(p.CrcOk));
        Assert.Equal(parts - 1, fit.Messages[^1].Part);
    }

    [Fact]
    public void EmptyInputIsAFormatError()
    {
        var e = Assert.Throws<FitFormatException>(() => FitDecoder.Decode(Array.Empty<byte>()));
        Assert.Equal(FitErrorKind.UnexpectedEnd, e.Kind);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void NonFitBytesAreABadHeader()
    {
        var e = Assert.Throws<FitFormatException>(() => FitDecoder.Decode("<html>not a fit file</html>"u8.ToArray()));
        Assert.Equal(FitErrorKind.BadHeader, e.Kind);
    }

    [Fact]
    public void HeaderCrcMismatchIsReportedAtTheHeaderCrc()
    {
        var bytes = Read("runalyze/moxy-float.fit");
        bytes[12] ^= 0x01;
        var e = Assert.Throws<FitFormatException>(() => FitDecoder.Decode(bytes));
        Assert.Equal(FitErrorKind.HeaderCrcMismatch, e.Kind);
        Assert.Equal(12, e.Offset);
    }
}
