using NirsSync.Fit;
using NirsSync.Fit.Synthetic;

namespace NirsSync.Analysis.Tests;

/// <summary>
/// Records a wrong clock stamped weeks or decades away from the rest of the ride are left out, so that the ride's
/// start and duration are those of the ride (and an export of a later day is not joined into a "64-year ride").
/// Real pauses, however long a rider stops, are kept.
/// </summary>
public sealed class ClockGapTests
{
    private const double Week = 7 * 86_400;

    [Fact]
    public void ARecordOf2085BeforeTheDamageOfA2021FileIsLeftOut()
    {
        // The last record before the damage at byte 7471 reads 3028726018 (2085); the 472 before it span 314 s.
        var ride = FitColumnarReader.Read(Corpus.Bytes("python-fitparse/strava-android-app-201.10-b1218918.fit"), FitDecodeOptions.Lenient);
        var a = RideAnalyzer.Analyze(RideFrame.FromFitRide(ride));
        Assert.Equal(472, a.Rows);
        Assert.Equal(1, a.RowsLeftOut);
        Assert.Equal(314, a.DurationS);
        Assert.Equal(3028726018 - 1001686704, a.LeftOutGapS);
        Assert.Equal(new DateTimeOffset(2021, 9, 27, 14, 13, 10, TimeSpan.Zero), a.Start);
        Assert.Equal("1 record(s) stamped 64 years apart from the rest of the ride were left out (a wrong clock)", a.LeftOutWarning);
    }

    [Fact]
    public void TheFirstMinutesOfADeviceWhoseClockJumped20DaysAreLeftOutAndTheLongerPartIsTheRide()
    {
        // runalyze/time-jump.fit: 102 records from 2017-02-22, then 465 from 2017-03-14 (Garmin's SDK reads the same).
        var a = RideAnalyzer.Analyze(Corpus.Columnar("runalyze/time-jump.fit"));
        Assert.Equal(465, a.Rows);
        Assert.Equal(102, a.RowsLeftOut);
        Assert.Equal(2906, a.DurationS);
        Assert.Equal(1746563, a.LeftOutGapS);
        Assert.Equal(new DateTimeOffset(2017, 3, 14, 14, 22, 3, TimeSpan.Zero), a.Start);
        Assert.Contains("102 record(s) stamped 20 days apart", a.LeftOutWarning);
    }

    /// <summary>Two parts of a ride with SmO2 of 40 % and 80 %, <paramref name="gapS"/> apart.</summary>
    private static RideFrame TwoParts(int first, int second, double gapS)
    {
        var ts = new uint[first + second];
        var smo2 = new float[ts.Length];
        for (var i = 0; i < ts.Length; i++)
        {
            ts[i] = Frames.T0 + (uint)i + (i >= first ? (uint)gapS - 1 : 0);
            smo2[i] = i < first ? 40f + i % 3 : 80f + i % 3;
        }
        return new RideFrame(ts, null, [RideColumn.Native(57, smo2)]);
    }

    [Fact]
    public void APauseOfJustUnderAWeekIsARidesPauseAndEveryRecordIsKept()
    {
        var a = RideAnalyzer.Analyze(TwoParts(600, 1200, Week));
        Assert.Equal(1800, a.Rows);
        Assert.Equal(0, a.RowsLeftOut);
        Assert.Null(a.LeftOutWarning);
        Assert.Equal(599 + Week + 1199, a.DurationS);
    }

    [Fact]
    public void PastAWeekOnlyThePartWithMoreRecordsIsAnalysed()
    {
        var a = RideAnalyzer.Analyze(TwoParts(600, 1200, Week + 1));
        Assert.Equal(1200, a.Rows);
        Assert.Equal(600, a.RowsLeftOut);
        Assert.Equal(1199, a.DurationS);
        Assert.Equal(Week + 1, a.LeftOutGapS);
        Assert.Equal(FitProfile.ToDateTime(Frames.T0 + 600 + (uint)Week), a.Start);
        // The metrics are the kept part's alone: 80-82 %, not a blend with the 40 % part.
        Assert.InRange(Assert.Single(a.Channels).SmO2.P5!.Value, 80, 82);

        // Equal parts: the earlier is kept.
        var even = RideAnalyzer.Analyze(TwoParts(900, 900, 30 * 86_400));
        Assert.Equal(FitProfile.ToDateTime(Frames.T0), even.Start);
        Assert.InRange(Assert.Single(even.Channels).SmO2.P95!.Value, 40, 42);
    }

    [Fact]
    public void RowsOutOfOrderAreSortedBeforeTheirGapsAreJudged()
    {
        // A stray record of 30 days later written in the middle of the file, not at its end.
        var ts = Frames.Seconds(1000);
        ts[500] += 30 * 86_400;
        var smo2 = Frames.Fill(1000, i => 60f + i % 5);
        var a = RideAnalyzer.Analyze(new RideFrame(ts, null, [RideColumn.Native(57, smo2)]));
        Assert.Equal(999, a.Rows);
        Assert.Equal(1, a.RowsLeftOut);
        Assert.Equal(999, a.DurationS);
    }

    [Fact]
    public void AGapLimitThatIsNotPositiveIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            RideAnalyzer.Analyze(TwoParts(10, 10, 100), options: new AnalysisOptions { MaxRecordGapS = 0 }));
        Assert.Equal("MaxRecordGapS must be > 0, was 0", e.Message);
    }

    [Fact]
    public void ASliceKeepsItsRowsOfEveryColumnAndTheRidesLaps()
    {
        var frame = new RideFrame(Frames.Seconds(6), [1, 2, 3, 4, 5, 6], [RideColumn.Native(57, [10, 20, 30, 40, 50, 60])],
            laps: [new RideLap(Frames.T0, Frames.T0 + 5)], heartRate: [91, 92, 93, 94, 95, 96]);
        var slice = frame.Slice(2, 3);
        Assert.Equal([Frames.T0 + 2, Frames.T0 + 3, Frames.T0 + 4], slice.Timestamp);
        Assert.Equal([3f, 4f, 5f], slice.Power!);
        Assert.Equal([93f, 94f, 95f], slice.HeartRate!);
        Assert.Equal([30f, 40f, 50f], Assert.Single(slice.Columns).Values);
        Assert.Equal(frame.Laps, slice.Laps);
        Assert.Throws<ArgumentOutOfRangeException>(() => frame.Slice(4, 3));
    }

    [Fact]
    public void TheGapReportedIsTheOneNextToTheRideNotALongerOneBetweenPartsLeftOut()
    {
        // 10 records of 1990, 10 of 2000, then the ride of 100 records 8 days later.
        var ts = new List<uint>();
        for (var i = 0u; i < 10; i++) ts.Add(Frames.T0 - 315_000_000 + i);
        for (var i = 0u; i < 10; i++) ts.Add(Frames.T0 - 691_200 + i);
        for (var i = 0u; i < 100; i++) ts.Add(Frames.T0 + i);
        var frame = new RideFrame([.. ts], null, [RideColumn.Native(57, Frames.Fill(ts.Count, i => 50f + i % 7))]);
        var (ride, leftOut, gap) = frame.MainPart(Week);
        Assert.Equal(100, ride.Count);
        Assert.Equal(20, leftOut);
        Assert.Equal(691_200 - 9, gap);
        Assert.Equal(Frames.T0, ride.Timestamp[0]);
        var a = RideAnalyzer.Analyze(frame);
        Assert.Equal("20 record(s) stamped 7 days apart from the rest of the ride were left out (a wrong clock)", a.LeftOutWarning);
        // With a limit under a day the gap reads in hours.
        var hours = RideAnalyzer.Analyze(TwoParts(300, 600, 5 * 3600), options: new AnalysisOptions { MaxRecordGapS = 3600 });
        Assert.Equal("300 record(s) stamped 5 hours apart from the rest of the ride were left out (a wrong clock)", hours.LeftOutWarning);
    }

    [Fact]
    public void TheMainPartOfARideWithoutAStrayRecordIsTheRideItself()
    {
        var frame = TwoParts(100, 100, 3600);
        var (ride, leftOut, gap) = frame.MainPart(Week);
        Assert.Same(frame, ride);
        Assert.Equal((0, 0.0), (leftOut, gap));
        Assert.Throws<ArgumentOutOfRangeException>(() => frame.MainPart(double.NaN));
    }

    [Fact]
    public void ASliceFromTheFirstRowSharesTheValuesAndCopiesOnlyTheTimestamps()
    {
        var power = new float[] { 1, 2, 3, 4 };
        var frame = new RideFrame(Frames.Seconds(4), power, [RideColumn.Native(57, [10, 20, 30, 40])]);
        var slice = frame.Slice(0, 2);
        Assert.Equal(2, slice.Count);
        Assert.Equal([Frames.T0, Frames.T0 + 1], slice.Timestamp);
        Assert.Same(power, slice.Power);
        var a = RideAnalyzer.Analyze(slice);
        Assert.Equal(1.5, a.AveragePowerW);
        Assert.Equal(2, Assert.Single(a.Channels).Quality.Samples);
    }

    [Fact]
    public void ARestingCheckIsReadFromTheRecordsTheRideIsMadeOf()
    {
        // The device set its clock 20 days later 40 s in: the first site, finished at 34 s, was stamped on the wrong clock.
        var taken = new DateTimeOffset(2026, 11, 3, 6, 0, 0, TimeSpan.Zero);
        AssessmentSite[] sites =
        [
            new(Muscle.VastusLateralis, Side.Left, 57, 12.1), new(Muscle.VastusLateralis, Side.Right, 63, 11.8),
            new(Muscle.GastrocnemiusMedialHead, Side.Left, 60, 12.4),
        ];
        var frame = RideFrame.FromFitRide(FitColumnarReader.Read(SyntheticAssessment.Generate(taken, sites)));
        var ts = (uint[])frame.Timestamp.Clone();
        for (var i = 0; i < 40; i++) ts[i] -= 20 * 86_400;
        var wrongClock = new RideFrame(ts, frame.Power, frame.Columns, frame.Laps, frame.Devices, frame.SessionDeveloperValues,
            frame.DeveloperDataIds, frame.HeartRate, frame.LapDeveloperValues);
        Assert.Equal(taken.AddSeconds(34), RestingAssessment.Find(frame)!.TakenAt);

        var check = RestingAssessment.Find(wrongClock)!;
        // Not 2026-10-14: the first site's result, repeated in every later record, is read at the ride's first record
        // (40 s), and no site is lost.
        Assert.Equal(taken.AddSeconds(40), check.TakenAt);
        Assert.Equal([(Muscle.VastusLateralis, Side.Left), (Muscle.VastusLateralis, Side.Right), (Muscle.GastrocnemiusMedialHead, Side.Left)],
            check.Sites.Select(x => (x.Muscle, x.Side)));
        Assert.Equal(40, RideAnalyzer.Analyze(wrongClock).RowsLeftOut);
    }
}
