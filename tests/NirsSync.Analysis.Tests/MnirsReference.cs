namespace NirsSync.Analysis.Tests;

/// <summary>
/// An independent computation of the mnirs R package's documented <c>response_time</c> (written from its documentation,
/// not its code): the interval is extracted with mnirs's default span (60 s either side of the event); the event t0 is
/// the end of the work; A = mean of the samples with t &lt;= t0; B = the maximum after t0 (recovery: positive direction);
/// the response time is the time from t0 to the first sample after t0 at or above A + fraction (B - A).
/// </summary>
internal static class MnirsReference
{
    public static double? ResponseTime(SensorExports.Samples s, double t0, double fraction, double before = 60, double after = 60)
    {
        double sum = 0;
        var count = 0;
        var b = double.NegativeInfinity;
        for (var i = 0; i < s.T.Length; i++)
        {
            if (s.T[i] < t0 - before || s.T[i] > t0 + after || !double.IsFinite(s.SmO2[i])) continue;
            if (s.T[i] <= t0) { sum += s.SmO2[i]; count++; }
            else b = Math.Max(b, s.SmO2[i]);
        }
        if (count == 0 || double.IsNegativeInfinity(b)) return null;
        var a = sum / count;
        var target = a + fraction * (b - a);
        for (var i = 0; i < s.T.Length; i++)
            if (s.T[i] > t0 && s.T[i] <= t0 + after && s.SmO2[i] >= target) return s.T[i] - t0;
        return null;
    }
}
