using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>
/// Joins the muscle-oxygen channels of a second recording (a sensor export read into a <see cref="RideFrame"/>)
/// to a ride: the ride keeps its rows, power, heart rate, laps and devices; the other recording's developer
/// columns are resampled onto the ride's timestamps after shifting them by an offset, and its session
/// developer values (the sensor identity) come along, all under developer data indexes the ride does not use.
/// </summary>
public static class RideFrameMerge
{
    /// <summary>
    /// Longest gap (seconds) between two samples of the joined recording across which a value is
    /// interpolated; a ride row farther from any sample stays missing (NaN). Covers the Moxy's 2 s rows.
    /// </summary>
    public const double MaxGapS = 3;

    /// <summary>
    /// The ride with <paramref name="other"/>'s developer columns and session values joined.
    /// <paramref name="offsetS"/> is added to <paramref name="other"/>'s timestamps to put them on the ride's
    /// clock (a sensor clock 12 s behind the head unit needs +12). Rows of the ride outside the other
    /// recording's span are missing in its columns; its samples outside the ride's span are left out.
    /// </summary>
    public static RideFrame Merge(RideFrame ride, RideFrame other, double offsetS)
    {
        ArgumentNullException.ThrowIfNull(ride);
        ArgumentNullException.ThrowIfNull(other);
        if (!double.IsFinite(offsetS)) throw new ArgumentOutOfRangeException(nameof(offsetS), offsetS, "the offset must be a finite number of seconds");
        ride = ride.InTimeOrder();
        other = other.InTimeOrder();
        var used = new HashSet<byte>();
        foreach (var c in ride.Columns) if (!c.IsNative) used.Add(c.DeveloperDataIndex);
        foreach (var v in ride.SessionDeveloperValues) used.Add(v.Description.DeveloperDataIndex);
        foreach (var a in ride.DeveloperDataIds) used.Add(a.DeveloperDataIndex);
        var remap = new Dictionary<byte, byte>();
        byte next = 0;
        byte IndexFor(byte original)
        {
            if (remap.TryGetValue(original, out var mapped)) return mapped;
            while (used.Contains(next))
            {
                if (next == byte.MaxValue) throw new ArgumentException("the ride uses every developer data index: no room to join another recording", nameof(ride));
                next++;
            }
            used.Add(next);
            return remap[original] = next;
        }

        var n = ride.Count;
        var times = new double[n];
        for (var i = 0; i < n; i++) times[i] = ride.Timestamp[i] - offsetS;
        var columns = new List<RideColumn>(ride.Columns);
        foreach (var c in other.Columns)
        {
            if (c.IsNative || c.Description is not { } d) continue;
            var values = Resample(other.Timestamp, c.Values, other.Count, times);
            columns.Add(RideColumn.Developer(d with { DeveloperDataIndex = IndexFor(d.DeveloperDataIndex) }, values));
        }
        var session = new List<RideDeveloperValue>(ride.SessionDeveloperValues);
        foreach (var v in other.SessionDeveloperValues)
            session.Add(v with { Description = v.Description with { DeveloperDataIndex = IndexFor(v.Description.DeveloperDataIndex) } });
        return new RideFrame(ride.Timestamp[..n], ride.Power?[..n], columns, ride.Laps, ride.Devices, session,
            ride.DeveloperDataIds, ride.HeartRate?[..n]);
    }

    /// <summary>
    /// Values of a column at <paramref name="at"/> (seconds on the column's own clock): linear between the two
    /// valid samples around each instant when they are at most <see cref="MaxGapS"/> apart, the sample itself
    /// on an exact hit, NaN elsewhere. Both time axes never decrease.
    /// </summary>
    internal static float[] Resample(uint[] timestamp, float[] values, int count, double[] at)
    {
        var result = new float[at.Length];
        var j = 0;
        for (var i = 0; i < at.Length; i++)
        {
            var t = at[i];
            // The last valid sample at or before t, and the first valid one after it.
            while (j < count && timestamp[j] <= t) j++;
            var before = j - 1;
            // Scans stop MaxGapS away from t, so a long run of missing samples costs no more than the gap.
            while (before >= 0 && !float.IsFinite(values[before]) && t - timestamp[before] <= MaxGapS) before--;
            var after = j;
            while (after < count && !float.IsFinite(values[after]) && timestamp[after] - t <= MaxGapS) after++;
            if (before >= 0 && timestamp[before] == t && float.IsFinite(values[before])) { result[i] = values[before]; continue; }
            if (before < 0 || after >= count || !float.IsFinite(values[before]) || !float.IsFinite(values[after])
                || timestamp[after] - (double)timestamp[before] > MaxGapS)
            {
                result[i] = float.NaN;
                continue;
            }
            var w = (t - timestamp[before]) / ((double)timestamp[after] - timestamp[before]);
            result[i] = (float)(values[before] + w * (values[after] - values[before]));
        }
        return result;
    }
}
