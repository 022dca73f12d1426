namespace NirsSync.Fit.Synthetic;

/// <summary>A simulated Moxy sensor: ANT device number, muscle and side codes (docs/fit-fields.md).</summary>
public sealed record SyntheticSensor(ushort DeviceNumber, byte Muscle, byte Side)
{
    /// <summary>SmO2 at rest, %.</summary>
    public double RestingSmO2 { get; init; } = 68;

    /// <summary>Total hemoglobin at rest, g/dL.</summary>
    public double RestingTHb { get; init; } = 12.4;

    /// <summary>
    /// How strongly this muscle desaturates with work, 1 = typical. A value above its partner's is a
    /// dysbalance: the muscle is used more.
    /// </summary>
    public double Load { get; init; } = 1;

    /// <summary>
    /// Seconds this muscle's oxygen responds later than the work (0: at once). A lag that grows against the partner's
    /// is a dysharmony: the partners no longer work together.
    /// </summary>
    public int LagSeconds { get; init; }

    /// <summary>Spread of the measurement noise of SmO2, percentage points (the Moxy's is about 0.5-1).</summary>
    public double NoiseSmO2 { get; init; } = 0.6;
}

/// <summary>How a synthetic ride stores muscle oxygen.</summary>
public enum SyntheticLayout
{
    /// <summary>The NirsSync Connect IQ data field's contract (docs/fit-fields.md).</summary>
    NirsSyncField,
    /// <summary>Native record fields 54/57 (first sensor only), as older watches wrote them.</summary>
    Native,
}

/// <summary>Options of a generated ride.</summary>
public sealed record SyntheticRideOptions
{
    public DateTimeOffset Start { get; init; } = new(2026, 11, 2, 7, 0, 0, TimeSpan.Zero);
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(1);
    public int Seed { get; init; } = 1;
    public IReadOnlyList<SyntheticSensor> Sensors { get; init; } =
        [new(12001, 1, 1), new(12002, 1, 2)];
    public SyntheticLayout Layout { get; init; } = SyntheticLayout.NirsSyncField;

    /// <summary>Threshold power of the rider, W; intervals are ridden at 110 % of it.</summary>
    public double ThresholdPower { get; init; } = 260;

    /// <summary>Length of one work interval and of one recovery, s.</summary>
    public int IntervalSeconds { get; init; } = 240;
    public int RecoverySeconds { get; init; } = 180;

    /// <summary>Seconds of warm-up before the first interval (and of cool-down at the end).</summary>
    public int WarmUpSeconds { get; init; } = 600;

    /// <summary>Fraction of samples dropped to 0 (a sensor's single-sample dropouts).</summary>
    public double DropoutRate { get; init; } = 0.002;

    /// <summary>
    /// Chance per second that a sensor loses contact for 5-40 s (a strap slipping, sweat, a radio gap); 0: never. The
    /// lost seconds are written as 0, as the data field does when it has no reading.
    /// </summary>
    public double GapRate { get; init; }

    /// <summary>
    /// Target power as a fraction of <see cref="ThresholdPower"/> at second t of a ride of the given length; null: warm-up,
    /// intervals and cool-down from <see cref="IntervalSeconds"/>. With a profile, laps are <see cref="AutoLapSeconds"/> long.
    /// </summary>
    public Func<int, int, double>? PowerProfile { get; init; }

    /// <summary>Length of the automatic laps of a ride with a <see cref="PowerProfile"/>, s.</summary>
    public int AutoLapSeconds { get; init; } = 1200;

    /// <summary>Spread of the second-to-second power noise, W.</summary>
    public double PowerNoise { get; init; } = 12;
}

/// <summary>
/// Generates realistic cycling activity files with muscle oxygen: warm-up, intervals and cool-down
/// in power; heart rate following power; per sensor SmO2 desaturating with a ~20 s time constant
/// during work and reoxygenating (~30 s) with overshoot afterwards, tHb rising slightly with work,
/// measurement noise and rare zero dropouts. Deterministic for a given seed. Written with
/// <see cref="FitWriter"/> as a Garmin unit lays out an activity with a Connect IQ data field.
/// </summary>
public static class SyntheticRide
{
    /// <summary>The application id of the NirsSync Connect IQ data field (docs/fit-fields.md).</summary>
    public static readonly byte[] NirsSyncApplicationId = NirsSync.Analysis.DataFieldContract.ApplicationIdBytes();

    public static byte[] Generate(SyntheticRideOptions? options = null)
    {
        options ??= new SyntheticRideOptions();
        var random = new Random(options.Seed);
        var seconds = (int)options.Duration.TotalSeconds;
        var start = FitProfile.ToFitTime(options.Start);
        var sensors = options.Sensors;
        var w = new FitWriter();

        w.Write(FitProfile.FileId,
            FitWriteField.Integer(0, FitBaseType.Enum, 4), // activity
            FitWriteField.Integer(1, FitBaseType.UInt16, 1), // garmin
            FitWriteField.Integer(2, FitBaseType.UInt16, 3843), // an Edge product id
            FitWriteField.Integer(3, FitBaseType.UInt32z, 3_900_000_000L + options.Seed % 1000),
            FitWriteField.Integer(4, FitBaseType.UInt32, start));
        var fieldLayout = options.Layout == SyntheticLayout.NirsSyncField && sensors.Count > 0;
        if (fieldLayout) WriteContract(w, sensors.Count);
        w.Write(FitProfile.Event, FitWriteField.Integer(253, FitBaseType.UInt32, start),
            FitWriteField.Integer(0, FitBaseType.Enum, 0), FitWriteField.Integer(1, FitBaseType.Enum, 0)); // timer start

        var smo2 = sensors.Select(s => s.RestingSmO2).ToArray();
        var thb = sensors.Select(s => s.RestingTHb).ToArray();
        var laps = new List<LapStats>();
        var lap = new LapStats(start, sensors.Count);
        var session = new LapStats(start, sensors.Count);
        double distance = 0, heartRate = 95, previousTarget = 0;
        var recent = 0.0;
        var maxLag = sensors.Count == 0 ? 0 : sensors.Max(x => Math.Max(0, x.LagSeconds));
        var powerHistory = new double[maxLag + 1];
        var gapLeft = new int[sensors.Count];
        var fields = new List<FitWriteField>(10);
        var developer = new List<FitWriteDeveloperField>(8);
        for (var t = 0; t < seconds; t++)
        {
            var target = TargetPower(options, t, seconds);
            var newLap = options.PowerProfile is null ? target != previousTarget : t % Math.Max(60, options.AutoLapSeconds) == 0;
            if (t > 0 && newLap && t < seconds - 1)
            {
                lap.End = start + (uint)t;
                laps.Add(lap);
                WriteLap(w, lap, fieldLayout, laps.Count - 1);
                lap = new LapStats(start + (uint)t, sensors.Count);
            }
            previousTarget = target;
            var power = Math.Max(0, target + Noise(random) * options.PowerNoise);
            powerHistory[t % powerHistory.Length] = power;
            recent += (power - recent) / 30;
            heartRate += (95 + recent * 0.3 - heartRate) / 25;
            var speed = 2.2 * Math.Cbrt(Math.Max(power, 20));
            distance += speed;
            fields.Clear();
            developer.Clear();
            fields.Add(FitWriteField.Integer(253, FitBaseType.UInt32, start + (uint)t));
            fields.Add(FitWriteField.Integer(7, FitBaseType.UInt16, (long)Math.Round(power)));
            fields.Add(FitWriteField.Integer(3, FitBaseType.UInt8, (long)Math.Round(heartRate)));
            fields.Add(FitWriteField.Integer(4, FitBaseType.UInt8, power > 5 ? 88 + random.Next(5) : 0));
            fields.Add(FitWriteField.Integer(6, FitBaseType.UInt16, (long)Math.Round(speed * 1000)));
            fields.Add(FitWriteField.Integer(5, FitBaseType.UInt32, (long)Math.Round(distance * 100)));
            for (var s = 0; s < sensors.Count; s++)
            {
                var sensor = sensors[s];
                // Work above ~55 % of threshold draws the muscle's oxygen down; recovery restores it with overshoot.
                var felt = sensor.LagSeconds > 0 ? powerHistory[(t - Math.Min(t, sensor.LagSeconds)) % powerHistory.Length] : power;
                var demand = Math.Max(0, felt / options.ThresholdPower - 0.55) * sensor.Load;
                var equilibrium = sensor.RestingSmO2 - 55 * demand;
                var tau = equilibrium < smo2[s] ? 20.0 : 30.0;
                smo2[s] += (equilibrium - smo2[s]) / tau;
                thb[s] += (sensor.RestingTHb + 0.6 * demand - thb[s]) / 40;
                if (options.GapRate > 0 && gapLeft[s] == 0 && random.NextDouble() < options.GapRate) gapLeft[s] = 5 + random.Next(36);
                var dropout = random.NextDouble() < options.DropoutRate;
                if (gapLeft[s] > 0)
                {
                    gapLeft[s]--;
                    dropout = true;
                }
                var measured = dropout ? 0 : Math.Clamp(smo2[s] + Noise(random) * sensor.NoiseSmO2, 1, 99);
                var measuredThb = dropout ? 0 : Math.Clamp(thb[s] + Noise(random) * 0.05, 5, 20);
                if (!dropout)
                {
                    lap.Add(s, measured, measuredThb);
                    session.Add(s, measured, measuredThb);
                }
                if (fieldLayout && s < 2)
                {
                    developer.Add(new(0, FitWriteField.Float32((byte)(2 * s), (float)Math.Round(measured, 1))));
                    developer.Add(new(0, FitWriteField.Float32((byte)(2 * s + 1), (float)Math.Round(measuredThb, 2))));
                }
                else if (options.Layout == SyntheticLayout.Native && s == 0)
                {
                    fields.Add(FitWriteField.Integer(57, FitBaseType.UInt16, (long)Math.Round(measured * 10)));
                    fields.Add(FitWriteField.Integer(54, FitBaseType.UInt16, (long)Math.Round(measuredThb * 100)));
                }
            }
            w.Write(FitProfile.Record, fields, developer);
        }
        var end = start + (uint)Math.Max(0, seconds - 1);
        lap.End = end;
        laps.Add(lap);
        WriteLap(w, lap, fieldLayout, laps.Count - 1);
        w.Write(FitProfile.Event, FitWriteField.Integer(253, FitBaseType.UInt32, end),
            FitWriteField.Integer(0, FitBaseType.Enum, 0), FitWriteField.Integer(1, FitBaseType.Enum, 4)); // timer stop_all
        session.End = end;
        WriteSession(w, session, sensors, fieldLayout, laps.Count, distance);
        w.Write(FitProfile.Activity, FitWriteField.Integer(253, FitBaseType.UInt32, end),
            FitWriteField.Integer(0, FitBaseType.UInt32, (long)seconds * 1000),
            FitWriteField.Integer(1, FitBaseType.UInt16, 1), FitWriteField.Integer(2, FitBaseType.Enum, 0),
            FitWriteField.Integer(3, FitBaseType.Enum, 26), FitWriteField.Integer(4, FitBaseType.Enum, 1));
        return w.ToArray();
    }

    private static double TargetPower(SyntheticRideOptions o, int t, int total)
    {
        if (o.PowerProfile is { } profile) return Math.Max(0, profile(t, total)) * o.ThresholdPower;
        if (t < o.WarmUpSeconds) return 0.55 * o.ThresholdPower;
        if (t >= total - o.WarmUpSeconds / 2) return 0.45 * o.ThresholdPower;
        var phase = (t - o.WarmUpSeconds) % (o.IntervalSeconds + o.RecoverySeconds);
        return phase < o.IntervalSeconds ? 1.10 * o.ThresholdPower : 0.45 * o.ThresholdPower;
    }

    // Roughly normal noise with unit spread (sum of uniforms).
    private static double Noise(Random r) => r.NextDouble() + r.NextDouble() + r.NextDouble() - 1.5;

    private static void WriteContract(FitWriter w, int sensorCount)
    {
        w.WriteDeveloperDataId(0, NirsSyncApplicationId, 100);
        var count = Math.Min(2, sensorCount);
        for (var s = 1; s <= count; s++)
        {
            var native = s == 1;
            w.WriteFieldDescription(0, NirsSync.Analysis.DataFieldContract.SmO2Field(s), FitBaseType.Float32, NirsSync.Analysis.DataFieldContract.SmO2Name(s), "%",
                native ? FitProfile.Record : null, native ? (byte)57 : null);
            w.WriteFieldDescription(0, NirsSync.Analysis.DataFieldContract.THbField(s), FitBaseType.Float32, NirsSync.Analysis.DataFieldContract.THbName(s), "g/dL",
                native ? FitProfile.Record : null, native ? (byte)54 : null);
        }
        string[] stats = ["smo2_avg", "smo2_min", "smo2_max", "thb_avg", "thb_min", "thb_max"];
        for (var s = 0; s < count; s++)
            for (var k = 0; k < 6; k++)
            {
                var units = k < 3 ? "%" : "g/dL";
                w.WriteFieldDescription(0, (byte)(10 + 6 * s + k), FitBaseType.UInt16, $"lap_{stats[k]}_{s + 1}", units);
                w.WriteFieldDescription(0, (byte)(30 + 6 * s + k), FitBaseType.UInt16, $"ses_{stats[k]}_{s + 1}", units);
            }
        for (var s = 0; s < count; s++)
        {
            w.WriteFieldDescription(0, NirsSync.Analysis.DataFieldContract.MuscleField(s + 1), FitBaseType.UInt8, NirsSync.Analysis.DataFieldContract.MuscleName(s + 1));
            w.WriteFieldDescription(0, NirsSync.Analysis.DataFieldContract.SideField(s + 1), FitBaseType.UInt8, NirsSync.Analysis.DataFieldContract.SideName(s + 1));
            w.WriteFieldDescription(0, NirsSync.Analysis.DataFieldContract.DeviceField(s + 1), FitBaseType.UInt16, NirsSync.Analysis.DataFieldContract.DeviceName(s + 1));
        }
    }

    private static void WriteLap(FitWriter w, LapStats lap, bool fieldLayout, int index)
    {
        var developer = fieldLayout ? lap.Fields(10) : [];
        w.Write(FitProfile.Lap, [
            FitWriteField.Integer(253, FitBaseType.UInt32, lap.End),
            FitWriteField.Integer(254, FitBaseType.UInt16, index),
            FitWriteField.Integer(2, FitBaseType.UInt32, lap.Start),
            FitWriteField.Integer(7, FitBaseType.UInt32, (long)(lap.End - lap.Start + 1) * 1000),
            FitWriteField.Integer(8, FitBaseType.UInt32, (long)(lap.End - lap.Start + 1) * 1000),
            FitWriteField.Integer(0, FitBaseType.Enum, 9), FitWriteField.Integer(1, FitBaseType.Enum, 1),
        ], developer);
    }

    private static void WriteSession(FitWriter w, LapStats session, IReadOnlyList<SyntheticSensor> sensors,
        bool fieldLayout, int laps, double distance)
    {
        var developer = fieldLayout ? session.Fields(30) : [];
        if (fieldLayout)
            for (var s = 0; s < Math.Min(2, sensors.Count); s++)
            {
                developer.Add(new(0, FitWriteField.Integer((byte)(50 + 3 * s), FitBaseType.UInt8, sensors[s].Muscle)));
                developer.Add(new(0, FitWriteField.Integer((byte)(51 + 3 * s), FitBaseType.UInt8, sensors[s].Side)));
                developer.Add(new(0, FitWriteField.Integer((byte)(52 + 3 * s), FitBaseType.UInt16, sensors[s].DeviceNumber)));
            }
        var elapsed = (long)(session.End - session.Start + 1) * 1000;
        w.Write(FitProfile.Session, [
            FitWriteField.Integer(253, FitBaseType.UInt32, session.End),
            FitWriteField.Integer(254, FitBaseType.UInt16, 0),
            FitWriteField.Integer(2, FitBaseType.UInt32, session.Start),
            FitWriteField.Integer(5, FitBaseType.Enum, 2), FitWriteField.Integer(6, FitBaseType.Enum, 0), // cycling
            FitWriteField.Integer(7, FitBaseType.UInt32, elapsed), FitWriteField.Integer(8, FitBaseType.UInt32, elapsed),
            FitWriteField.Integer(9, FitBaseType.UInt32, (long)Math.Round(distance * 100)),
            FitWriteField.Integer(25, FitBaseType.UInt16, 0), FitWriteField.Integer(26, FitBaseType.UInt16, laps),
            FitWriteField.Integer(0, FitBaseType.Enum, 8), FitWriteField.Integer(1, FitBaseType.Enum, 1),
        ], developer);
    }

    private sealed class LapStats(uint start, int sensors)
    {
        private readonly double[] _sum = new double[sensors], _min = Enumerable.Repeat(double.MaxValue, sensors).ToArray(),
            _max = new double[sensors], _thbSum = new double[sensors],
            _thbMin = Enumerable.Repeat(double.MaxValue, sensors).ToArray(), _thbMax = new double[sensors];
        private readonly int[] _n = new int[sensors];

        public uint Start { get; } = start;
        public uint End { get; set; } = start;

        public void Add(int s, double smo2, double thb)
        {
            _n[s]++;
            _sum[s] += smo2;
            _min[s] = Math.Min(_min[s], smo2);
            _max[s] = Math.Max(_max[s], smo2);
            _thbSum[s] += thb;
            _thbMin[s] = Math.Min(_thbMin[s], thb);
            _thbMax[s] = Math.Max(_thbMax[s], thb);
        }

        /// <summary>The contract's uint16 statistics fields (SmO2 x10, tHb x100), 0xFFFF without samples.</summary>
        public List<FitWriteDeveloperField> Fields(byte firstId)
        {
            var list = new List<FitWriteDeveloperField>();
            for (var s = 0; s < Math.Min(2, _n.Length); s++)
            {
                double[] values = _n[s] == 0 ? [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN]
                    : [_sum[s] / _n[s] * 10, _min[s] * 10, _max[s] * 10, _thbSum[s] / _n[s] * 100, _thbMin[s] * 100, _thbMax[s] * 100];
                for (var k = 0; k < 6; k++)
                    list.Add(new(0, double.IsNaN(values[k])
                        ? FitWriteField.Invalid((byte)(firstId + 6 * s + k), FitBaseType.UInt16)
                        : FitWriteField.Integer((byte)(firstId + 6 * s + k), FitBaseType.UInt16, (long)Math.Round(values[k]))));
            }
            return list;
        }
    }
}
