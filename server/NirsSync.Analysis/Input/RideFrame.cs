using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>
/// One record column in analysis input: a native record field (54-59, values in profile units) or a
/// numeric developer record field (RAW values as stored, before the description's scale and offset).
/// NaN marks rows where the column has no valid value.
/// </summary>
/// <param name="IsNative">True for a native record field.</param>
/// <param name="DeveloperDataIndex">Developer data index (developer columns).</param>
/// <param name="FieldNumber">Native field number or field definition number.</param>
/// <param name="Description">The developer field's field_description (null for native columns).</param>
/// <param name="Values">One value per row.</param>
public sealed record RideColumn(bool IsNative, byte DeveloperDataIndex, byte FieldNumber,
    FitFieldDescription? Description, float[] Values)
{
    /// <summary>"native:N" or "index:number", the key <c>nirssync fit dump</c> uses.</summary>
    public string Key => IsNative ? $"native:{FieldNumber}" : $"{DeveloperDataIndex}:{FieldNumber}";

    /// <summary>A native column with values in profile units.</summary>
    public static RideColumn Native(byte fieldNumber, float[] values) => new(true, 0, fieldNumber, null, values);

    /// <summary>A developer column with raw values.</summary>
    public static RideColumn Developer(FitFieldDescription description, float[] rawValues)
    {
        ArgumentNullException.ThrowIfNull(description);
        return new(false, description.DeveloperDataIndex, description.FieldDefinitionNumber, description, rawValues);
    }
}

/// <summary>A lap: FIT start and end times (seconds since the FIT epoch).</summary>
public sealed record RideLap(uint Start, uint End);

/// <summary>A device_info message as far as identity needs it.</summary>
public sealed record RideDevice(int? DeviceIndex, int? DeviceType, uint? AntDeviceNumber, int? SensorPosition,
    int? Manufacturer, string? ProductName);

/// <summary>A developer field of a session or lap message: its description and raw element values (null where invalid).</summary>
public sealed record RideDeveloperValue(FitFieldDescription Description, double?[] RawValues);

/// <summary>
/// The analysis input: a ride in columnar form. Build it from a decoded FIT file
/// (<see cref="FromFitRide"/>, <see cref="FromFitFile"/>) or directly from arrays (generated rides, tests).
/// </summary>
public sealed class RideFrame
{
    public RideFrame(uint[] timestamp, float[]? power, IReadOnlyList<RideColumn> columns,
        IReadOnlyList<RideLap>? laps = null, IReadOnlyList<RideDevice>? devices = null,
        IReadOnlyList<RideDeveloperValue>? sessionDeveloperValues = null,
        IReadOnlyList<FitDeveloperDataId>? developerDataIds = null, float[]? heartRate = null,
        IReadOnlyList<RideDeveloperValue>? lapDeveloperValues = null)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(columns);
        Count = timestamp.Length;
        if (power is not null && power.Length < Count)
            throw new ArgumentException($"power has {power.Length} rows, timestamps {Count}", nameof(power));
        if (heartRate is not null && heartRate.Length < Count)
            throw new ArgumentException($"heart rate has {heartRate.Length} rows, timestamps {Count}", nameof(heartRate));
        foreach (var c in columns)
            if (c.Values.Length < Count)
                throw new ArgumentException($"column {c.Key} has {c.Values.Length} rows, timestamps {Count}", nameof(columns));
        Timestamp = timestamp;
        Power = power;
        HeartRate = heartRate;
        Columns = columns;
        Laps = laps ?? [];
        Devices = devices ?? [];
        SessionDeveloperValues = sessionDeveloperValues ?? [];
        DeveloperDataIds = developerDataIds ?? [];
        LapDeveloperValues = lapDeveloperValues ?? [];
    }

    /// <summary>Number of record rows.</summary>
    public int Count { get; }

    /// <summary>FIT seconds per row.</summary>
    public uint[] Timestamp { get; }

    /// <summary>Power in W per row, NaN where missing; null when the ride has no power.</summary>
    public float[]? Power { get; }

    public float[]? HeartRate { get; }
    public IReadOnlyList<RideColumn> Columns { get; }
    public IReadOnlyList<RideLap> Laps { get; }
    public IReadOnlyList<RideDevice> Devices { get; }

    /// <summary>Developer fields of session messages (our data field's muscle_N/side_N/device_N, CIQ_device_info).</summary>
    public IReadOnlyList<RideDeveloperValue> SessionDeveloperValues { get; }

    public IReadOnlyList<FitDeveloperDataId> DeveloperDataIds { get; }

    /// <summary>
    /// Developer fields of lap messages, in file order (lap after lap): our data field's muscle_N/side_N of sensors 3-4
    /// and device_hi_N (bits 16-19 of the device numbers of sensors 1-2), and its lap statistics.
    /// </summary>
    public IReadOnlyList<RideDeveloperValue> LapDeveloperValues { get; }

    /// <summary>Start of the ride (first timestamp), or null for a ride without records.</summary>
    public DateTimeOffset? Start => Count == 0 ? null : FitProfile.ToDateTime(Timestamp[0]);

    /// <summary>True when timestamps never go back.</summary>
    public bool IsInTimeOrder => VectorKernels.NeverDecreases(Timestamp.AsSpan(0, Count));

    /// <summary>This ride, or a copy with its rows stably sorted by timestamp when some go back in time.</summary>
    public RideFrame InTimeOrder()
    {
        if (IsInTimeOrder) return this;
        var keys = new ulong[Count];
        for (var i = 0; i < Count; i++) keys[i] = (ulong)Timestamp[i] << 32 | (uint)i;
        Array.Sort(keys);
        var order = Array.ConvertAll(keys, k => (int)(uint)k);
        T[] Permute<T>(T[] a)
        {
            var r = new T[Count];
            for (var i = 0; i < Count; i++) r[i] = a[order[i]];
            return r;
        }
        var columns = Columns.Select(c => c with { Values = Permute(c.Values) }).ToArray();
        return new RideFrame(Permute(Timestamp), Power is null ? null : Permute(Power), columns, Laps, Devices,
            SessionDeveloperValues, DeveloperDataIds, HeartRate is null ? null : Permute(HeartRate), LapDeveloperValues);
    }

    /// <summary>
    /// Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1 as a ride of their own
    /// (laps, devices and session values kept). A slice from row 0 shares the value arrays (a frame's arrays may be
    /// longer than its rows) and copies only the timestamps.
    /// </summary>
    public RideFrame Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        var end = start + count;
        if (start == 0)
            return new RideFrame(Timestamp[..count], Power, Columns, Laps, Devices, SessionDeveloperValues, DeveloperDataIds,
                HeartRate, LapDeveloperValues);
        return new RideFrame(Timestamp[start..end], Power?[start..end], Columns.Select(c => c with { Values = c.Values[start..end] }).ToArray(),
            Laps, Devices, SessionDeveloperValues, DeveloperDataIds, HeartRate?[start..end], LapDeveloperValues);
    }

    /// <summary>
    /// The ride without the records a wrong clock stamped far away: in time order, gaps longer than
    /// <paramref name="maxGapS"/> split the records into parts, and the part with the most records (the earliest of
    /// equal ones) is the ride. Returns it (this frame, in time order, when nothing is left out), the number of records
    /// left out and the longer of the gaps just before and just after it (0 when none).
    /// </summary>
    public (RideFrame Ride, int LeftOut, double GapS) MainPart(double maxGapS)
    {
        if (!(maxGapS > 0)) throw new ArgumentOutOfRangeException(nameof(maxGapS), maxGapS, "the gap limit must be positive seconds");
        var ride = InTimeOrder();
        var ts = ride.Timestamp.AsSpan(0, ride.Count);
        int bestStart = 0, bestCount = 0, start = 0;
        for (var i = 1; i <= ts.Length; i++)
        {
            if (i < ts.Length && ts[i] - (double)ts[i - 1] <= maxGapS) continue;
            if (i - start > bestCount) (bestStart, bestCount) = (start, i - start);
            start = i;
        }
        if (bestCount == ts.Length) return (ride, 0, 0);
        var end = bestStart + bestCount;
        var before = bestStart > 0 ? ts[bestStart] - (double)ts[bestStart - 1] : 0;
        var after = end < ts.Length ? ts[end] - (double)ts[end - 1] : 0;
        return (ride.Slice(bestStart, bestCount), ts.Length - bestCount, Math.Max(before, after));
    }

    /// <summary>Builds the input from the columnar reader's result.</summary>
    public static RideFrame FromFitRide(FitRide ride) => RideFrameAdapter.FromFitRide(ride);

    /// <summary>Builds the input from the message API's result.</summary>
    public static RideFrame FromFitFile(FitFile file) => RideFrameAdapter.FromFitFile(file);
}
