namespace NirsSync.SensorExports;

/// <summary>A growable column of values, one per data row.</summary>
internal sealed class Column<T>(int capacity) where T : struct
{
    private T[] _values = new T[Math.Max(16, capacity)];

    public int Count { get; private set; }

    public void Add(T value)
    {
        if (Count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
        _values[Count++] = value;
    }

    public T this[int index] => _values[index];

    public T[] ToArray() => Count == _values.Length ? _values : _values[..Count];
}

/// <summary>Shared finishing steps of the readers.</summary>
internal static class Assemble
{
    /// <summary>A value that is missing when zero or not finite (SmO2, tHb, heart rate: a sensor without a reading writes 0).</summary>
    public static float NonZero(double v) => double.IsFinite(v) && v != 0 ? (float)v : float.NaN;

    /// <summary>A value where zero is real (power, cadence, a.u. haemoglobin).</summary>
    public static float Finite(double v) => double.IsFinite(v) ? (float)v : float.NaN;

    public static bool HasAny(float[]? values)
    {
        if (values is null) return false;
        foreach (var v in values) if (!float.IsNaN(v)) return true;
        return false;
    }

    /// <summary>Laps from a per-row lap value: each run of one value is a lap (rows without a value join the current lap).</summary>
    public static List<ExportLap> Laps(double[] timeS, float[]? lap)
    {
        var laps = new List<ExportLap>();
        if (lap is null || timeS.Length == 0) return laps;
        var current = float.NaN;
        var startS = 0.0;
        for (var i = 0; i < timeS.Length; i++)
        {
            var v = lap[i];
            if (float.IsNaN(v) || v == current) continue;
            if (!float.IsNaN(current)) laps.Add(new ExportLap((int)current, startS, timeS[i]));
            current = v;
            startS = timeS[i];
        }
        if (!float.IsNaN(current)) laps.Add(new ExportLap((int)current, startS, timeS[^1]));
        return laps;
    }

    /// <summary>The first run of digits in a serial ("SN1614 v0.0.4" gives 1614, "Train.Red FYER 0673" 673), or null.</summary>
    public static uint? Serial(string? text)
    {
        if (text is null) return null;
        var m = System.Text.RegularExpressions.Regex.Match(text, @"\d{1,9}");
        return m.Success && uint.TryParse(m.Value, out var n) && n > 0 ? n : null;
    }

    /// <summary>Checks times never go back; rows must be in time order.</summary>
    public static void CheckOrder(Rows rows, int column, double previous, double current)
    {
        if (current < previous)
            throw rows.Error(column, $"time goes back from {previous:0.###} s to {current:0.###} s");
    }
}
