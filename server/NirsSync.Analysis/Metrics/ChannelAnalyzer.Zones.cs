namespace NirsSync.Analysis;

/// <summary>Time in SmO2 slope zones, for a ride or a stretch of its rows.</summary>
internal static partial class ChannelAnalyzer
{
    /// <summary>Rows in each slope zone; <see cref="Times"/> turns them into seconds.</summary>
    internal readonly record struct ZoneRows(long Rising, long Flat, long Falling, long Freefall)
    {
        public static ZoneRows operator +(ZoneRows a, ZoneRows b) =>
            new(a.Rising + b.Rising, a.Flat + b.Flat, a.Falling + b.Falling, a.Freefall + b.Freefall);

        public SlopeZones Times(double interval) => new(Rising * interval, Flat * interval, Falling * interval, Freefall * interval);
    }

    /// <summary>
    /// Slope zones of rows [<paramref name="from"/>, <paramref name="to"/>): slope = (smooth[hi] - smooth[lo]) /
    /// (t[hi] - t[lo]) over the centred slope window (which may reach past the range), %/min.
    /// </summary>
    internal static ZoneRows Zones(uint[] ts, float[] sm, int n, AnalysisOptions o, bool regular, int from, int to)
    {
        var half = o.SlopeWindowS / 2;
        long rising = 0, flat = 0, falling = 0, freefall = 0;
        if (from >= to) return default;
        if (regular)
        {
            // Rows one second apart: the window is rows [i - h, i + h], so dt = 2h away from the ends.
            var h = (int)Math.Min(n, Math.Floor(half));
            var x = sm.AsSpan(0, n);
            double r = o.RisingSlope / 60, ff = o.FreefallSlope / 60, fa = o.FallingSlope / 60;
            // Rows with the whole window inside the ride: dt = 2h, thresholds scaled once, counted by SIMD.
            int inner0 = Math.Max(from, h), inner1 = Math.Min(to, n - h);
            if (h > 0 && inner1 > inner0)
            {
                var z = VectorKernels.Zones(x.Slice(inner0 - h, inner1 - inner0 + 2 * h), h, (float)(r * 2 * h), (float)(fa * 2 * h),
                    (float)(ff * 2 * h));
                rising += z.Rising; flat += z.Flat; falling += z.Falling; freefall += z.Freefall;
            }
            else inner0 = inner1 = from;
            for (var i = from; i < to; i++)
            {
                if (i >= inner0 && i < inner1) { i = inner1 - 1; continue; }
                int a0 = Math.Max(0, i - h), b0 = Math.Min(x.Length - 1, i + h);
                if (b0 <= a0 || float.IsNaN(x[i])) continue;
                float a = x[a0], b = x[b0];
                if (float.IsNaN(a) || float.IsNaN(b)) continue;
                double rise = b - a;
                double dt = b0 - a0;
                if (rise >= r * dt) rising++;
                else if (rise <= ff * dt) freefall++;
                else if (rise <= fa * dt) falling++;
                else flat++;
            }
            return new ZoneRows(rising, flat, falling, freefall);
        }
        // Window pointers: lo = first row at or after t - half, hi = last row at or before t + half.
        int lo = LowerBound(ts, n, (uint)Math.Max(0, Math.Ceiling(ts[from] - half)), false), hi = lo;
        for (var i = from; i < to; i++)
        {
            double t = ts[i];
            if (hi < i) hi = i;
            while (hi + 1 < n && ts[hi + 1] <= t + half) hi++;
            while (ts[lo] < t - half) lo++;
            if (float.IsNaN(sm[i]) || hi <= lo) continue;
            float a = sm[lo], b = sm[hi];
            if (float.IsNaN(a) || float.IsNaN(b)) continue;
            // slope = (b - a) 60 / dt compared without dividing: slope >= x  <=>  (b - a) 60 >= x dt (dt > 0).
            var rise = (b - a) * 60.0;
            double dt = ts[hi] - ts[lo];
            if (rise >= o.RisingSlope * dt) rising++;
            else if (rise <= o.FreefallSlope * dt) freefall++;
            else if (rise <= o.FallingSlope * dt) falling++;
            else flat++;
        }
        return new ZoneRows(rising, flat, falling, freefall);
    }
}
