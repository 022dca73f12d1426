using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>A sensor of a generated ride.</summary>
/// <param name="RestSmO2">SmO2 at rest, %.</param>
/// <param name="Depth">Desaturation at the effort power, % points.</param>
/// <param name="TauS">Time constant of the SmO2 response to power, seconds.</param>
/// <param name="LagS">Delay of the response, seconds.</param>
public sealed record SyntheticSensor(Muscle Muscle, Side Side, uint Sensor, float RestSmO2 = 70, float THb = 12.5f,
    float Depth = 30, float TauS = 12, float LagS = 3);

/// <summary>
/// Generated rides in columnar form, written the way our Connect IQ data field writes them (float32 record
/// fields in real units, two sensors per app instance, muscle/side/device in session fields), so tests and
/// benchmarks need no FIT encoder. Power: a base load with a hard effort every five minutes; SmO2 follows
/// power with first-order kinetics, noise, quantised to the sensor's 0.1 % steps, with rare zero dropouts.
/// </summary>
public static class SyntheticRides
{
    private static readonly byte[] DataFieldId = DataFieldContract.ApplicationIdBytes();

    /// <summary>A ride of <paramref name="seconds"/> 1-Hz rows starting at <paramref name="start"/>.</summary>
    public static RideFrame Generate(int seed, int seconds, IReadOnlyList<SyntheticSensor> sensors, DateTimeOffset start,
        double dropoutRate = 0.002, double basePowerW = 160, double effortPowerW = 330)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        if (seconds < 1) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "a ride needs at least one second");
        var rng = new Random(seed);
        var t0 = FitProfile.ToFitTime(start);
        var ts = new uint[seconds];
        var power = new float[seconds];
        for (var i = 0; i < seconds; i++)
        {
            ts[i] = t0 + (uint)i;
            var inEffort = i % 300 >= 200 && i % 300 < 260;
            power[i] = MathF.Round((float)((inEffort ? effortPowerW : basePowerW) + Gaussian(rng) * 8));
        }
        var columns = new List<RideColumn>();
        var session = new List<RideDeveloperValue>();
        var apps = new List<FitDeveloperDataId>();
        for (var s = 0; s < sensors.Count; s++)
        {
            var sensor = sensors[s];
            var app = (byte)(s / 2);
            var slot = s % 2 + 1;
            if (slot == 1) apps.Add(new FitDeveloperDataId(app, null, DataFieldId, null, 1));
            var smo2 = new float[seconds];
            var thb = new float[seconds];
            double level = 0;
            for (var i = 0; i < seconds; i++)
            {
                var lagged = power[Math.Max(0, i - (int)sensor.LagS)];
                var target = (lagged - basePowerW) / (effortPowerW - basePowerW);
                level += (target - level) / sensor.TauS;
                var v = sensor.RestSmO2 - sensor.Depth * level + Gaussian(rng) * 0.6;
                smo2[i] = MathF.Round((float)Math.Clamp(v, 1, 99) * 10) / 10;
                thb[i] = MathF.Round((float)(sensor.THb + 0.3 * level + Gaussian(rng) * 0.03) * 100) / 100;
                if (rng.NextDouble() < dropoutRate) { smo2[i] = 0; thb[i] = 0; }
            }
            columns.Add(RideColumn.Developer(Field(app, DataFieldContract.SmO2Field(slot), DataFieldContract.SmO2Name(slot), "%", slot == 1 ? 57 : null), smo2));
            columns.Add(RideColumn.Developer(Field(app, DataFieldContract.THbField(slot), DataFieldContract.THbName(slot), "g/dL", slot == 1 ? 54 : null), thb));
            session.Add(Session(app, DataFieldContract.MuscleField(slot), DataFieldContract.MuscleName(slot), FitBaseType.UInt8, (byte)sensor.Muscle));
            session.Add(Session(app, DataFieldContract.SideField(slot), DataFieldContract.SideName(slot), FitBaseType.UInt8, (byte)sensor.Side));
            session.Add(Session(app, DataFieldContract.DeviceField(slot), DataFieldContract.DeviceName(slot), FitBaseType.UInt16, sensor.Sensor));
        }
        var laps = new List<RideLap>();
        for (var l = 0; l * 600 < seconds; l++)
            laps.Add(new RideLap(t0 + (uint)(l * 600), t0 + (uint)Math.Min(seconds, (l + 1) * 600) - 1));
        return new RideFrame(ts, power, columns, laps, [], session, apps);
    }

    /// <summary>
    /// Two to four sensors on partner muscles (left/right vastus lateralis, then vastus medialis left and
    /// gastrocnemius medial head left), with per-sensor differences drawn from <paramref name="rng"/>.
    /// </summary>
    public static IReadOnlyList<SyntheticSensor> PartnerSensors(Random rng, int count)
    {
        ArgumentNullException.ThrowIfNull(rng);
        (Muscle M, Side S)[] places =
        [
            (Muscle.VastusLateralis, Side.Left), (Muscle.VastusLateralis, Side.Right),
            (Muscle.VastusMedialis, Side.Left), (Muscle.GastrocnemiusMedialHead, Side.Left),
        ];
        var list = new List<SyntheticSensor>();
        for (var i = 0; i < Math.Clamp(count, 1, places.Length); i++)
            list.Add(new SyntheticSensor(places[i].M, places[i].S, (uint)(1000 + i), 60 + (float)rng.NextDouble() * 20,
                11 + (float)rng.NextDouble() * 3, 20 + (float)rng.NextDouble() * 20, 8 + (float)rng.NextDouble() * 10,
                rng.Next(1, 6)));
        return list;
    }

    public static FitFieldDescription Field(byte app, byte number, string name, string units, byte? native) =>
        new(app, number, FitBaseType.Float32, name, units, null, null, FitProfile.Record, native, null);

    private static RideDeveloperValue Session(byte app, byte number, string name, FitBaseType type, double value) =>
        new(new FitFieldDescription(app, number, type, name, null, null, null, FitProfile.Session, null, null), [value]);

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
