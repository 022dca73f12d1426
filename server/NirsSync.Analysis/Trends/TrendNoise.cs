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
            "rest_smo2" => level,                                               // resting spot check: a level, same placement error [derived]
            "rest_thb" => 0.7,                                                  // as thb_p50
            "rest_difference" => level * Math.Sqrt(2),                          // two sites' independent errors [derived]
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
    /// The Student-t quantile with the same upper-tail probability as the normal quantile <paramref name="z"/>, for
    /// <paramref name="df"/> degrees of freedom (bisection on the t distribution; exact to 1e-6): the band widens when the
    /// typical error is itself estimated from few sessions. df &lt;= 0 returns z.
    /// </summary>
    public static double StudentQuantile(double z, int df)
    {
        if (df <= 0) return z;
        return Quantiles.GetOrAdd((z, df), static k => ComputeStudentQuantile(k.Z, k.Df));
    }

    // Trends ask for a handful of (z, df) pairs many times: each costs a bisection on the incomplete beta function.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Z, int Df), double> Quantiles = new();

    private static double ComputeStudentQuantile(double z, int df)
    {
        var p = UpperNormalTail(z);
        double lo = z, hi = z;
        while (StudentUpperTail(hi, df) > p) hi *= 2;
        for (var i = 0; i < 100 && hi - lo > 1e-7; i++)
        {
            var mid = (lo + hi) / 2;
            if (StudentUpperTail(mid, df) > p) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /// <summary>P(Z &gt; z) for the standard normal (erfc by its continued-fraction-free Chebyshev fit, |error| &lt; 1.2e-7).</summary>
    internal static double UpperNormalTail(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.5 * x);
        var erfc = t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? erfc / 2 : 1 - erfc / 2;
    }

    /// <summary>P(T &gt; t) for Student's t with <paramref name="df"/> degrees of freedom, t &gt;= 0: I_x(df/2, 1/2) / 2 with x = df / (df + t^2).</summary>
    internal static double StudentUpperTail(double t, int df) => RegularizedBeta(df / (df + t * t), df / 2.0, 0.5) / 2;

    /// <summary>The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz).</summary>
    internal static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var lnFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        if (x > (a + 1) / (a + b + 2)) return 1 - Math.Exp(lnFront) * BetaFraction(1 - x, b, a) / b;
        return Math.Exp(lnFront) * BetaFraction(x, a, b) / a;
    }

    private static double BetaFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            var num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + num * d; if (Math.Abs(d) < tiny) d = tiny; d = 1 / d;
            c = 1 + num / c; if (Math.Abs(c) < tiny) c = tiny;
            h *= d * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + num * d; if (Math.Abs(d) < tiny) d = tiny; d = 1 / d;
            c = 1 + num / c; if (Math.Abs(c) < tiny) c = tiny;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-12) break;
        }
        return h;
    }

    /// <summary>ln Gamma(x) for x &gt; 0 (Lanczos, g = 7, nine coefficients).</summary>
    private static double LogGamma(double x)
    {
        double[] g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        x -= 1;
        var sum = g[0];
        for (var i = 1; i < 9; i++) sum += g[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
