using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>A resting spot check recorded by the data field's assessment mode (docs/fit-fields.md, "Resting assessment").</summary>
/// <param name="TakenAt">Time of the first record that carries a finished site.</param>
/// <param name="Sites">One site per muscle and side, in the order first measured.</param>
/// <param name="Notes">What the reader had to decide (a site measured twice, a site without a muscle), for the record's note.</param>
public sealed record RestAssessment(DateTimeOffset TakenAt, IReadOnlyList<RestSite> Sites, IReadOnlyList<string> Notes);

/// <summary>
/// Finds the resting assessment in a ride recorded by the data field in assessment mode: the record fields
/// <c>asmt_site</c>, <c>asmt_muscle</c>, <c>asmt_side</c>, <c>asmt_sat</c>, <c>asmt_hb</c> of our application id. A record
/// field repeats its last value, so a site's result is the first record in which <c>asmt_site</c> takes a new value 1-8.
/// </summary>
public static class RestingAssessment
{
    /// <summary>The assessment the ride holds, or null when it was not recorded in assessment mode or finished no site.</summary>
    public static RestAssessment? Find(RideFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var ours = frame.DeveloperDataIds
            .Where(a => string.Equals(a.ApplicationUuid, DataFieldContract.ApplicationId, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.DeveloperDataIndex).ToHashSet();
        if (ours.Count == 0) return null;
        float[]? Column(byte field) => frame.Columns.FirstOrDefault(c => !c.IsNative && c.FieldNumber == field
            && (ours.Contains(c.DeveloperDataIndex) || string.Equals(c.Description?.Application?.ApplicationUuid,
                DataFieldContract.ApplicationId, StringComparison.OrdinalIgnoreCase)))?.Values;
        var site = Column(DataFieldContract.AssessmentSiteField);
        var muscle = Column(DataFieldContract.AssessmentMuscleField);
        var side = Column(DataFieldContract.AssessmentSideField);
        var sat = Column(DataFieldContract.AssessmentSmO2Field);
        var hb = Column(DataFieldContract.AssessmentTHbField);
        if (site is null || muscle is null || side is null || sat is null) return null;

        // The records the ride is made of, in time order (as RideAnalyzer.Analyze takes them): a wrong clock's left out.
        var ordered = frame.MainPart(AnalysisOptions.Default.MaxRecordGapS).Ride;
        if (!ReferenceEquals(ordered, frame)) return Find(ordered);
        var notes = new List<string>();
        var sums = new List<(Muscle Muscle, Side Side, double SmO2, int SmO2N, double THb, int THbN)>();
        DateTimeOffset? takenAt = null;
        var last = -1f;
        for (var i = 0; i < frame.Count; i++)
        {
            var s = site[i];
            if (float.IsNaN(s) || s < 1 || s > DataFieldContract.MaxAssessmentSites || s == last) continue;
            last = s;
            takenAt ??= FitProfile.ToDateTime(frame.Timestamp[i]);
            var m = Muscles.FromCode(Valid(muscle[i]));
            var sd = Muscles.SideFromCode(Valid(side[i]));
            var smo2 = Valid(sat[i]) / DataFieldContract.AssessmentSmO2Scale;
            var thb = hb is null ? null : Valid(hb[i]) / DataFieldContract.AssessmentTHbScale;
            if (m == Muscle.Unknown)
            {
                notes.Add($"site {s} has no known muscle code and was left out");
                continue;
            }
            if (smo2 is not (>= 0 and <= 100))
            {
                notes.Add($"site {s} ({Muscles.Name(m)} {Muscles.Name(sd)}) has no valid SmO2 and was left out");
                continue;
            }
            if (thb is not (>= 0 and <= 40)) thb = null;
            var k = sums.FindIndex(x => x.Muscle == m && x.Side == sd);
            if (k < 0) sums.Add((m, sd, smo2.Value, 1, thb ?? 0, thb is null ? 0 : 1));
            else
            {
                var x = sums[k];
                sums[k] = (m, sd, x.SmO2 + smo2.Value, x.SmO2N + 1, x.THb + (thb ?? 0), x.THbN + (thb is null ? 0 : 1));
                notes.Add($"{Muscles.Name(m)} {Muscles.Name(sd)} was measured more than once; its values are the mean of the measurements");
            }
        }
        if (takenAt is null || sums.Count == 0) return null;
        var sites = sums.Select(x => new RestSite(x.Muscle, x.Side, Math.Round(x.SmO2 / x.SmO2N, 2),
            x.THbN == 0 ? null : Math.Round(x.THb / x.THbN, 3))).ToList();
        return new RestAssessment(takenAt.Value, sites, notes.Distinct().ToList());
    }

    /// <summary>The value, or null for NaN (the reader's missing value) and the uint8/uint16 invalid values.</summary>
    private static double? Valid(float v) => float.IsNaN(v) || v is 0xFF or 0xFFFF ? null : v;
}
