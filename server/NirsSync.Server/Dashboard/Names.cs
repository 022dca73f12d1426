using System.Globalization;

namespace NirsSync.Server.Dashboard;

/// <summary>Readable names for subjects ("vastus_lateralis/left") and metrics ("smo2_p50").</summary>
public static class Names
{
    public static string Subject(string subject) => string.Join(" vs ", subject.Split('|').Select(One));

    private static string One(string subject)
    {
        var parts = subject.Split('/');
        var muscle = parts[0].Replace('_', ' ');
        return parts.Length > 1 && parts[1] is "left" or "right" ? $"{muscle} ({parts[1]})" : muscle;
    }

    /// <summary>A compact subject: "VL L–VL R" for "vastus_lateralis/left|vastus_lateralis/right".</summary>
    public static string Short(string subject) => string.Join("–", subject.Split('|').Select(s =>
    {
        var p = s.Split('/');
        var m = string.Concat(p[0].Split('_', StringSplitOptions.RemoveEmptyEntries).Where(w => w != "head").Select(w => char.ToUpperInvariant(w[0])));
        return p.Length > 1 && p[1] is "left" or "right" ? $"{m} {char.ToUpperInvariant(p[1][0])}" : m;
    }));

    public static string Metric(string metric) => metric switch
    {
        "smo2_p5" => "SmO2 P5",
        "smo2_p50" => "SmO2 P50",
        "smo2_p95" => "SmO2 P95",
        "functional_range" => "functional range",
        "thb_p50" => "tHb P50",
        "desaturation_depth" => "desaturation depth",
        "desaturation_rate" => "desaturation rate",
        "reoxygenation_half_time_s" => "reoxygenation half-time",
        "asymmetry_p50" => "asymmetry of SmO2 P50",
        "asymmetry_functional_range" => "asymmetry of functional range",
        "asymmetry_desaturation_rate" => "asymmetry of desaturation rate",
        "asymmetry_reoxygenation_half_time" => "asymmetry of reoxygenation",
        "correlation" => "harmony (correlation)",
        _ => metric.Replace('_', ' '),
    };

    public static string Week(DateOnly monday) =>
        string.Create(CultureInfo.InvariantCulture, $"W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):00}");

    public static string Number(double? value, string format = "0.#") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string Duration(double seconds) =>
        TimeSpan.FromSeconds(seconds).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
