namespace NirsSync.Analysis;

/// <summary>A placement of the sensor on one trend subject ("vastus_lateralis/left") from <paramref name="From"/>; a new
/// placement starts a new baseline (docs/metrics.md, "Placements").</summary>
public sealed record PlacementPeriod(string Subject, DateTimeOffset From, DateTimeOffset? To = null, string? Note = null);

/// <summary>A period the coach marks as healthy: the reference for balance (pairs); <paramref name="Subject"/> null = every pair.</summary>
public sealed record HealthyPeriod(DateOnly From, DateOnly To, string? Subject = null);

/// <summary>
/// Published between-session typical errors (one session's SD around the athlete's true value) per metric, and per
/// muscle where the literature differs (docs/metrics.md, "Noise"; ../shared/reference/nirs-reliability.md).
/// </summary>
public static class NoisePriors
{
    /// <summary>Typical error of <paramref name="metric"/> on <paramref name="subject"/>; null when none is known.</summary>
    public static double? TypicalError(string subject, string metric)
    {
        var name = BaseMetric(metric);
        var gastrocnemius = subject.Contains("gastrocnemius", StringComparison.Ordinal) || subject.StartsWith("calf/", StringComparison.Ordinal);
        // Skotzke et al. 2024: SEM 5-9 SmO2 points at the vastus lateralis (midpoint 7); Sendra-Perez et al. 2025:
        // gastrocnemius ICC down to 0.24, so its level error is taken as the top of that range (9) [derived].
        var level = gastrocnemius ? 9.0 : 7.0;
        return name switch
        {
            "smo2_p5" or "smo2_p50" or "smo2_p95" or "smo2_at" => level,
            "functional_range" or "desaturation_depth" => level,               // [derived] difference of two levels, shared placement error
            "thb_p50" => 0.7,                                                   // McManus 2018 interday CV ~6 % x 12 g/dL [derived]
            "desaturation_rate" => 5,                                           // no published between-day figure: NirsSync assumption
            "reoxygenation_half_time_s" or "mean_response_time_s" => 7,         // Res Direct Health Sci 2022: half-time SEM 7 s
            "difference_p50" or "difference_desaturation_depth" => level * Math.Sqrt(2), // two sensors' independent errors [derived]
            "asymmetry_p50" => 100 * Math.Sqrt(2) * level / 60,                 // difference as % of a ~60 % level [derived]
            "asymmetry_functional_range" => 25,                                 // [derived] as above on a ~40-point range
            "asymmetry_desaturation_rate" => 30,                                // assumption
            "asymmetry_reoxygenation_half_time" => 100 * Math.Sqrt(2) * 7 / 30, // 7 s on a ~30 s half-time, two sides [derived]
            "correlation" or "effort_correlation" => 0.15,                      // assumption: contralateral kinetics agree poorly (Reinpold 2023)
            "effort_lag_s" => 3,                                                // assumption, same reason
            _ => null,
        };
    }

    /// <summary>The metric without its matching suffix ("smo2_at_250-300w" is "smo2_at"; "x[60-180s,300-350w]" is "x").</summary>
    public static string BaseMetric(string metric)
    {
        var bracket = metric.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0) metric = metric[..bracket];
        return metric.StartsWith("smo2_at_", StringComparison.Ordinal) ? "smo2_at" : metric;
    }

    /// <summary>Upper standard normal quantile: z with P(Z &gt; z) = <paramref name="p"/> (Acklam's rational approximation, |error| &lt; 1.2e-9).</summary>
    public static double UpperNormalQuantile(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "probability must be in (0, 1)");
        return -LowerNormalQuantile(p);
    }

    private static double LowerNormalQuantile(double p)
    {
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }

    /// <summary>
    /// Student-t quantile from the normal one (Cornish-Fisher expansion, good to ~1 % for df >= 3): the band widens when
    /// the typical error is itself estimated from few sessions.
    /// </summary>
    public static double StudentQuantile(double z, int df)
    {
        if (df <= 0) return z;
        double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df);
    }
}
