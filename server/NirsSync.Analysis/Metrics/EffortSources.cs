using System.Buffers;

namespace NirsSync.Analysis;

/// <summary>
/// Efforts without a power meter: intervals the caller gives, laps whose SmO2 falls, and desaturation events of the
/// SmO2 signal itself (docs/metrics.md, "Efforts").
/// </summary>
internal static class EffortSources
{
    /// <summary>Efforts from intervals in seconds from the first row; <see cref="ArgumentException"/> naming a bad interval.</summary>
    public static Effort[] Given(RideFrame ride, IReadOnlyList<EffortInterval> given, bool regular)
    {
        var n = ride.Count;
        if (n == 0 || given.Count == 0) return [];
        var ts = ride.Timestamp;
        var t0 = ts[0];
        var span = ts[n - 1] - (double)t0 + 1;
        var list = new List<Effort>(given.Count);
        double lastEnd = double.NegativeInfinity;
        for (var k = 0; k < given.Count; k++)
        {
            var (s, e) = given[k];
            if (!double.IsFinite(s) || !double.IsFinite(e) || s < 0 || e <= s)
                throw new ArgumentException($"effort {k + 1} ({s}-{e} s): start must be >= 0 and before the end");
            if (s >= span)
                throw new ArgumentException($"effort {k + 1} ({s}-{e} s) starts after the recording ends ({span:0} s)");
            if (s < lastEnd)
                throw new ArgumentException($"effort {k + 1} ({s}-{e} s) starts before effort {k} ends: give efforts in time order, without overlap");
            lastEnd = e;
            var startTime = t0 + (uint)Math.Round(s);
            var endTime = t0 + (uint)Math.Round(Math.Min(e, span));
            var a = ChannelAnalyzer.LowerBound(ts, n, startTime, regular);
            var b = ChannelAnalyzer.LowerBound(ts, n, endTime, regular);
            if (b <= a) continue;
            list.Add(new Effort(list.Count, a, b, startTime, endTime, MeanPower(ride, a, b), EffortSource.Given));
        }
        return [.. list];
    }

    /// <summary>
    /// Laps at least MinEffortS long whose SmO2 (mean over channels) in their last WorkBaselineS (at most half the lap)
    /// lies at least MinDesaturation below its mean in the BaselineS before the lap.
    /// </summary>
    public static Effort[] FromLaps(RideFrame ride, float[] mean, AnalysisOptions o, bool regular)
    {
        var n = ride.Count;
        var ts = ride.Timestamp;
        var list = new List<Effort>();
        foreach (var lap in ride.Laps.OrderBy(l => l.Start))
        {
            var a = ChannelAnalyzer.LowerBound(ts, n, lap.Start, regular);
            var b = ChannelAnalyzer.LowerBound(ts, n, lap.End + 1, regular);
            if (b <= a || ts[b - 1] - (double)ts[a] + 1 < o.MinEffortS) continue;
            if (list.Count > 0 && a < list[^1].End) continue;
            var pre = EffortKinetics.MeanValid(mean, ChannelAnalyzer.LowerBound(ts, n, (uint)Math.Max(0, lap.Start - o.BaselineS), regular), a);
            var lateS = Math.Min(o.WorkBaselineS, (ts[b - 1] - (double)ts[a] + 1) / 2);
            var late = EffortKinetics.MeanValid(mean, ChannelAnalyzer.LowerBound(ts, n, (uint)(ts[b - 1] + 1 - lateS), regular), b);
            if (pre is not { } p || late is not { } l || p - l < o.MinDesaturation) continue;
            list.Add(new Effort(list.Count, a, b, ts[a], ts[b - 1] + 1, MeanPower(ride, a, b), EffortSource.Lap));
        }
        return [.. list];
    }

    /// <summary>
    /// Desaturation events: on the channels' mean SmO2 smoothed over 10 s, falls of at least MinDesaturation from a
    /// peak to a low (a zig-zag with that reversal size). An event starts at the last row near the peak (within
    /// half the reversal) and ends at the last row near the low before SmO2 rises again; events shorter than
    /// MinEffortS are left out.
    /// </summary>
    public static Effort[] FromSmO2(RideFrame ride, float[] mean, AnalysisOptions o, bool regular)
    {
        var n = ride.Count;
        var ts = ride.Timestamp;
        var sm = ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        try
        {
            ChannelAnalyzer.Smooth(ts, mean, sm, n, DetectSmoothingS / 2, regular);
            var d = o.MinDesaturation;
            var tol = d / 2;
            var list = new List<Effort>();
            int peakRow = -1, lowRow = -1;
            var falling = false;
            for (var i = 0; i < n; i++)
            {
                var v = sm[i];
                if (float.IsNaN(v)) continue;
                if (!falling)
                {
                    if (peakRow < 0 || v >= sm[peakRow]) peakRow = i;
                    else if (sm[peakRow] - v >= d) { falling = true; lowRow = i; }
                }
                else
                {
                    if (v <= sm[lowRow]) lowRow = i;
                    else if (v - sm[lowRow] >= d)
                    {
                        Close(peakRow, lowRow, i);
                        falling = false;
                        peakRow = i;
                    }
                }
            }
            if (falling) Close(peakRow, lowRow, n);
            return [.. list];

            void Close(int peak, int low, int riseRow)
            {
                // Start: the last row between peak and low still within tol of the peak; end: the last row between the
                // low and the rise still within tol of the low.
                var start = peak;
                for (var i = peak; i <= low; i++) if (!float.IsNaN(sm[i]) && sm[peak] - sm[i] <= tol) start = i;
                var last = low;
                for (var i = low; i < riseRow; i++) if (!float.IsNaN(sm[i]) && sm[i] - sm[low] <= tol) last = i;
                if (list.Count > 0 && start < list[^1].End) return;
                if (ts[last] - (double)ts[start] + 1 < o.MinEffortS) return;
                list.Add(new Effort(list.Count, start, last + 1, ts[start], ts[last] + 1, MeanPower(ride, start, last + 1), EffortSource.SmO2));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sm);
        }
    }

    /// <summary>Centred smoothing of the mean signal before desaturation events are sought, seconds.</summary>
    internal const double DetectSmoothingS = 10;

    /// <summary>
    /// Mean over channels of the valid SmO2 of each row (NaN where none), in a rented array. Takes a span, not a
    /// list: a foreach over an interface allocates an enumerator a row (64 MB for two million one-byte records).
    /// </summary>
    public static float[] MeanSignal(ReadOnlySpan<CleanSignal> signals, int n)
    {
        var m = ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            var count = 0;
            foreach (var s in signals)
            {
                var v = s.SmO2[i];
                if (!float.IsNaN(v)) { sum += v; count++; }
            }
            m[i] = count == 0 ? float.NaN : (float)(sum / count);
        }
        return m;
    }

    private static double MeanPower(RideFrame ride, int a, int b)
    {
        if (ride.Power is not { } p) return 0;
        double sum = 0;
        var count = 0;
        for (var i = a; i < b; i++) if (!float.IsNaN(p[i])) { sum += p[i]; count++; }
        return count == 0 ? 0 : ChannelAnalyzer.Round(sum / count, 1);
    }
}
