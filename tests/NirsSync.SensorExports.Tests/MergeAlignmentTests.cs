using NirsSync.Analysis;
using NirsSync.Fit;
using NirsSync.SensorExports.Synthetic;
using Xunit.Abstractions;

namespace NirsSync.SensorExports.Tests;

/// <summary>Joining an export's channels to a ride (RideFrameMerge) and finding its offset (RecordingAlignment).</summary>
public class MergeAlignmentTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset RideStart = new(2026, 2, 6, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A generated 1-hour ride (power, two sensors of our data field) and a Moxy export following its power.</summary>
    private static (RideFrame Ride, RideFrame Export) Pair(double offsetS, double noise, int seed, int fromS = 300, int toS = 3300,
        double tauS = 15)
    {
        var ride = SyntheticRides.Generate(seed, 3600, SyntheticRides.PartnerSensors(new Random(seed), 2), RideStart);
        var csv = SyntheticExports.MoxyCsvFollowing(ride.Power!, RideStart.UtcDateTime, offsetS, fromS, toS, noise: noise, seed: seed,
            tauS: tauS);
        var export = SensorExportReader.Read(csv, new SensorExportOptions { TimeZone = TimeZoneInfo.Utc, Reference = RideStart.AddDays(1) });
        return (ride, export.ToRideFrame());
    }

    [Fact]
    public void Merge_keeps_the_rides_rows_and_adds_the_exports_channel_under_a_free_developer_index()
    {
        var (ride, export) = Pair(0, 0.6, 1);
        var merged = RideFrameMerge.Merge(ride, export, 0);
        Assert.Equal(ride.Count, merged.Count);
        Assert.Equal(ride.Power!, merged.Power!);
        Assert.Equal(ride.Columns.Count + export.Columns.Count, merged.Columns.Count);
        var rideIndexes = ride.Columns.Where(c => !c.IsNative).Select(c => c.DeveloperDataIndex).ToHashSet();
        var joined = merged.Columns.Skip(ride.Columns.Count).ToList();
        Assert.All(joined, c => Assert.DoesNotContain(c.DeveloperDataIndex, rideIndexes));
        // The ride's first 300 s precede the export: missing there, present in the middle.
        var smo2 = joined.Single(c => c.Description!.Name!.StartsWith("SmO2", StringComparison.Ordinal)).Values;
        Assert.True(float.IsNaN(smo2[100]));
        Assert.InRange(smo2[1800], 20, 80);
        var channels = ChannelDiscovery.Discover(merged);
        Assert.Equal(3, channels.Count);
        Assert.Contains(channels, c => c.Info.Sensor == 1614u);
    }

    [Fact]
    public void Merge_shifts_the_export_by_the_offset_with_interpolation_between_its_2_s_rows()
    {
        var (ride, export) = Pair(0, 0, 2);
        var column = export.Columns.Single(c => c.Description!.Units == "%");
        var merged = RideFrameMerge.Merge(ride, export, 10.5);
        var joined = merged.Columns[^2].Values; // SmO2 then THb of the export
        // Ride second t holds the export's value at t - 10.5 on its own clock: between its rows t-11 and t-9 (2 s apart).
        var row = Array.IndexOf(export.Timestamp, ride.Timestamp[1001] - 11u);
        Assert.True(row >= 0);
        var expected = column.Values[row] + (column.Values[row + 1] - column.Values[row]) * 0.25f;
        Assert.Equal(expected, joined[1001], 3);
    }

    [Fact]
    public void Merge_refuses_an_offset_that_is_not_a_number() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RideFrameMerge.Merge(Pair(0, 0.6, 1).Ride, Pair(0, 0.6, 1).Export, double.NaN));

    /// <summary>
    /// A ride with power whose last record a wrong clock stamped 64 years later (the shape of a damaged corpus file)
    /// would make grids over both whole spans one value a second over those 64 years (16 GB: the join would fail out
    /// of memory). The grids cover only where the recordings meet, so the answer is the one without the stray
    /// record, at the cost of the overlap.
    /// </summary>
    [Fact]
    public void Alignment_against_a_ride_with_a_record_decades_away_gives_the_offset_without_it()
    {
        var (ride, export) = Pair(20, 0.6, 7);
        var expected = RecordingAlignment.Refine(ride, export)!;
        Assert.True(expected.Refined);
        var ts = ride.Timestamp.Append(ride.Timestamp[^1] + 2_027_039_314u).ToArray();
        float[] Longer(float[] values) => [.. values.AsSpan(0, ride.Count), values[ride.Count - 1]];
        var stray = new RideFrame(ts, Longer(ride.Power!), ride.Columns.Select(c => c with { Values = Longer(c.Values) }).ToArray());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = RecordingAlignment.Refine(stray, export)!;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(expected, found);
        // The grids of one hour of common time and the lag window: a few MB, not gigabytes.
        Assert.InRange(allocated, 1, 16 << 20);
        // An export that meets the ride at no lag gets no answer from the correlation, and costs nothing.
        var later = new RideFrame(export.Timestamp.Select(t => t + 30u * 86_400).ToArray(), export.Power, export.Columns);
        var apart = RecordingAlignment.Refine(ride, later)!;
        Assert.False(apart.Refined);
        Assert.Equal(0, apart.Pairs);
    }

    [Fact]
    public void Alignment_without_power_or_without_SmO2_gives_no_answer()
    {
        var (ride, export) = Pair(0, 0.6, 3);
        var noPower = new RideFrame(ride.Timestamp, null, ride.Columns, ride.Laps, ride.Devices, ride.SessionDeveloperValues, ride.DeveloperDataIds);
        Assert.Null(RecordingAlignment.Refine(noPower, export));
        var noSmO2 = new RideFrame(export.Timestamp, null, []);
        Assert.Null(RecordingAlignment.Refine(ride, noSmO2));
    }

    [Fact]
    public void Alignment_of_a_flat_ride_is_not_trusted_and_keeps_the_clock()
    {
        var (ride, export) = Pair(30, 0.6, 4);
        var flat = new float[ride.Count];
        Array.Fill(flat, 200f);
        var steady = new RideFrame(ride.Timestamp, flat, ride.Columns);
        var result = RecordingAlignment.Refine(steady, export)!;
        Assert.False(result.Refined);
        Assert.Equal(0, result.OffsetS);
    }

    /// <summary>The true offsets and noise levels of the accuracy table in docs/sensor-exports.md.</summary>
    public static readonly double[] Offsets = [-100, -45, -12.5, 0, 7, 30, 90];
    public static readonly double[] Noises = [0.6, 2, 4];

    private (double Mean, double MaxAbs, double MinR) Measure(double offset, double noise, double tauS)
    {
        var errors = new List<double>();
        var minR = 1.0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var (ride, export) = Pair(offset, noise, seed, tauS: tauS);
            var result = RecordingAlignment.Refine(ride, export)!;
            Assert.True(result.Refined, $"offset {offset}, noise {noise}, seed {seed}: r = {result.Correlation}");
            errors.Add(result.OffsetS - offset);
            minR = Math.Min(minR, result.Correlation);
        }
        var cell = (errors.Average(), errors.Max(Math.Abs), minR);
        output.WriteLine($"| {offset} | {noise} | {tauS} | {cell.Item1:0.0} | {cell.Item2:0.0} | {minR:0.00} |");
        return cell;
    }

    /// <summary>
    /// Measures the refinement on generated rides (seeds 1-5 per cell): the error of the offset found against the
    /// true one, for a muscle answering as the assumed vastus lateralis (3 s delay, 15 s time constant).
    /// </summary>
    [Fact]
    public void Alignment_finds_known_offsets_on_generated_rides_within_two_seconds()
    {
        output.WriteLine("| true offset (s) | noise SD (% SmO2) | muscle tau (s) | mean error (s) | max abs error (s) | min correlation |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|");
        var worst = 0.0;
        foreach (var noise in Noises)
            foreach (var offset in Offsets)
                worst = Math.Max(worst, Measure(offset, noise, 15).MaxAbs);
        Assert.InRange(worst, 0, 2);
    }

    /// <summary>
    /// A muscle answering faster or slower than assumed shifts the offset found: early for a slower muscle, late
    /// for a faster one, by a part of the difference in time constant.
    /// </summary>
    [Fact]
    public void Alignment_error_follows_the_muscles_response_time()
    {
        output.WriteLine("| true offset (s) | noise SD (% SmO2) | muscle tau (s) | mean error (s) | max abs error (s) | min correlation |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|");
        var fast = Measure(30, 2, 8).Mean;
        var assumed = Measure(30, 2, 15).Mean;
        var slow = Measure(30, 2, 30).Mean;
        Assert.True(fast > assumed && assumed > slow, $"{fast} > {assumed} > {slow}");
        Assert.InRange(fast, 0, 10);
        Assert.InRange(slow, -20, 0);
    }
}
