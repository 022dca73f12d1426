using NirsSync.Analysis;
using NirsSync.Fit;

namespace NirsSync.Fit.Synthetic;

/// <summary>One site of a generated resting assessment: where the sensor sits and what it reads there at rest.</summary>
public sealed record AssessmentSite(Muscle Muscle, Side Side, double SmO2, double THb);

/// <summary>
/// A FIT file as the data field writes it in resting-assessment mode (docs/fit-fields.md, "Resting assessment"): one
/// sensor moved from site to site, its per-second SmO2 and tHb, and the asmt_* record fields set when a site's steady
/// hold completes (repeated in every later record, as a Connect IQ record field repeats its last value).
/// </summary>
public static class SyntheticAssessment
{
    /// <summary>float32 invalid value: all bits set (docs/fit-fields.md).</summary>
    private static readonly float Invalid = BitConverter.Int32BitsToSingle(-1);

    public static byte[] Generate(DateTimeOffset startTime, IReadOnlyList<AssessmentSite> sites, int holdSeconds = 30, int seed = 1)
    {
        var random = new Random(seed);
        var start = FitProfile.ToFitTime(startTime);
        var w = new FitWriter();
        w.Write(FitProfile.FileId,
            FitWriteField.Integer(0, FitBaseType.Enum, 4),
            FitWriteField.Integer(1, FitBaseType.UInt16, 1),
            FitWriteField.Integer(2, FitBaseType.UInt16, 3843),
            FitWriteField.Integer(3, FitBaseType.UInt32z, 3_900_000_777L),
            FitWriteField.Integer(4, FitBaseType.UInt32, start));
        w.WriteDeveloperDataId(0, SyntheticRide.NirsSyncApplicationId, 100);
        w.WriteFieldDescription(0, DataFieldContract.SmO2Field(1), FitBaseType.Float32, DataFieldContract.SmO2Name(1), "%", FitProfile.Record, 57);
        w.WriteFieldDescription(0, DataFieldContract.THbField(1), FitBaseType.Float32, DataFieldContract.THbName(1), "g/dL", FitProfile.Record, 54);
        w.WriteFieldDescription(0, DataFieldContract.AssessmentSiteField, FitBaseType.UInt8, "asmt_site", null);
        w.WriteFieldDescription(0, DataFieldContract.AssessmentMuscleField, FitBaseType.UInt8, "asmt_muscle", null);
        w.WriteFieldDescription(0, DataFieldContract.AssessmentSideField, FitBaseType.UInt8, "asmt_side", null);
        w.WriteFieldDescription(0, DataFieldContract.AssessmentSmO2Field, FitBaseType.UInt16, "asmt_sat", "%");
        w.WriteFieldDescription(0, DataFieldContract.AssessmentTHbField, FitBaseType.UInt16, "asmt_hb", "g/dL");

        var t = 0u;
        (long Site, long Muscle, long Side, long Sat, long Hb) latest = (0, 0xFF, 0xFF, 0xFFFF, 0xFFFF);
        void Record(float smo2, float thb)
        {
            w.Write(FitProfile.Record, [FitWriteField.Integer(253, FitBaseType.UInt32, start + t)],
            [
                new(0, FitWriteField.Float32(DataFieldContract.SmO2Field(1), smo2)),
                new(0, FitWriteField.Float32(DataFieldContract.THbField(1), thb)),
                new(0, FitWriteField.Integer(DataFieldContract.AssessmentSiteField, FitBaseType.UInt8, latest.Site)),
                new(0, FitWriteField.Integer(DataFieldContract.AssessmentMuscleField, FitBaseType.UInt8, latest.Muscle)),
                new(0, FitWriteField.Integer(DataFieldContract.AssessmentSideField, FitBaseType.UInt8, latest.Side)),
                new(0, FitWriteField.Integer(DataFieldContract.AssessmentSmO2Field, FitBaseType.UInt16, latest.Sat)),
                new(0, FitWriteField.Integer(DataFieldContract.AssessmentTHbField, FitBaseType.UInt16, latest.Hb)),
            ]);
            t++;
        }
        for (var i = 0; i < sites.Count; i++)
        {
            var site = sites[i];
            // Placing the sensor: no reading for a few seconds.
            for (var k = 0; k < 4; k++) Record(Invalid, Invalid);
            double sum = 0, sumThb = 0;
            for (var k = 0; k < holdSeconds; k++)
            {
                var smo2 = Math.Round(site.SmO2 + (random.NextDouble() - 0.5), 1);
                var thb = Math.Round(site.THb + (random.NextDouble() - 0.5) * 0.04, 2);
                sum += smo2;
                sumThb += thb;
                Record((float)smo2, (float)thb);
            }
            latest = (i + 1, (long)site.Muscle, (long)site.Side, (long)Math.Round(sum / holdSeconds * 10), (long)Math.Round(sumThb / holdSeconds * 100));
            Record((float)site.SmO2, (float)site.THb);
        }
        var end = start + t;
        w.Write(FitProfile.Session, [
            FitWriteField.Integer(253, FitBaseType.UInt32, end),
            FitWriteField.Integer(2, FitBaseType.UInt32, start),
            FitWriteField.Integer(7, FitBaseType.UInt32, (long)t * 1000),
            FitWriteField.Integer(0, FitBaseType.Enum, 8), FitWriteField.Integer(1, FitBaseType.Enum, 1),
        ]);
        return w.ToArray();
    }
}
