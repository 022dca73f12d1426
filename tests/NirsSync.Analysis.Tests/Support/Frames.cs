using NirsSync.Fit;

namespace NirsSync.Analysis.Tests;

/// <summary>Small hand-made rides.</summary>
internal static class Frames
{
    public const uint T0 = 1_000_000_000;

    public static uint[] Seconds(int n) => Enumerable.Range(0, n).Select(i => T0 + (uint)i).ToArray();

    public static RideFrame Native(float[] smo2, float[]? thb = null, float[]? power = null)
    {
        var cols = new List<RideColumn> { RideColumn.Native(57, smo2) };
        if (thb is not null) cols.Add(RideColumn.Native(54, thb));
        return new RideFrame(Seconds(smo2.Length), power, cols);
    }

    public static FitFieldDescription Dev(byte app, byte number, string name, string? units, FitBaseType type,
        byte? native = null, byte? scale = null) =>
        new(app, number, type, name, units, scale, null, FitProfile.Record, native, null);

    public static RideDeveloperValue Session(byte app, byte number, string name, params double?[] values) =>
        new(new FitFieldDescription(app, number, FitBaseType.UInt8, name, null, null, null, FitProfile.Session, null, null), values);

    public static float[] Fill(int n, Func<int, float> f) => Enumerable.Range(0, n).Select(f).ToArray();

    public static readonly AnalysisOptions NoFrozen = new() { FrozenS = 100_000 };
}
