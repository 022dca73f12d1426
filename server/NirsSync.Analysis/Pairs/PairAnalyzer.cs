namespace NirsSync.Analysis;

/// <summary>Per-pair balance and harmony.</summary>
internal static class PairAnalyzer
{
    public static PairMetrics[] Analyze(CleanSignal[] signals, ChannelMetrics[] metrics, RideFrame ride,
        Effort[] efforts, AnalysisOptions o, RideTiming timing)
    {
        var pairs = PairFinder.Find(metrics.Select(m => m.Channel).ToArray(), o.CoachPairs);
        if (pairs.Count == 0) return [];
        var n = ride.Count;
        var detrended = new float[signals.Length][];
        var maxLag = (int)Math.Round(o.MaxLagS / timing.IntervalS);
        var result = new PairMetrics[pairs.Count];
        for (var p = 0; p < pairs.Count; p++)
        {
            var (a, b, relation, name) = pairs[p];
            var ma = metrics[a];
            var mb = metrics[b];
            for (var side = 0; side < 2; side++)
            {
                var c = side == 0 ? a : b;
                if (detrended[c] is not null) continue;
                detrended[c] = HarmonyAnalyzer.Detrend(ride.Timestamp, signals[c].SmO2, n, o.DetrendWindowS, timing.Regular);
            }
            var harmony = HarmonyAnalyzer.Measure(detrended[a], detrended[b], 0, n, maxLag, timing.IntervalS);
            var perEffort = new EffortHarmony[efforts.Length];
            for (var e = 0; e < efforts.Length; e++)
                perEffort[e] = new EffortHarmony(efforts[e].Index, HarmonyAnalyzer.Measure(detrended[a], detrended[b],
                    efforts[e].Start, efforts[e].End, maxLag, timing.IntervalS));
            result[p] = new PairMetrics(ma.Channel.Id, mb.Channel.Id, relation, name,
                PairDifference.Of(ma.SmO2.P50, mb.SmO2.P50),
                PairDifference.Of(ma.SmO2.FunctionalRange, mb.SmO2.FunctionalRange),
                PairDifference.Of(ma.EffortSummary.DesaturationRate, mb.EffortSummary.DesaturationRate),
                PairDifference.Of(ma.EffortSummary.ReoxygenationHalfTimeS, mb.EffortSummary.ReoxygenationHalfTimeS),
                harmony, perEffort);
        }
        foreach (var d in detrended) if (d is not null) System.Buffers.ArrayPool<float>.Shared.Return(d);
        return result;
    }
}
