using System.Globalization;
using NirsSync.Analysis;

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

    /// <summary>
    /// The metric's label from the catalogue; a family member with its class ("SmO2 at 250-300w",
    /// "desaturation depth [180s+,300-350w]"); an unknown key with spaces for underscores.
    /// </summary>
    public static string Metric(string metric)
    {
        if (MetricCatalogue.Find(metric) is not { } m) return metric.Replace('_', ' ');
        return m.Key == metric ? m.Label : $"{m.Label} {metric[m.Key.Length..].TrimStart('_')}";
    }

    public static string Week(DateOnly monday) =>
        string.Create(CultureInfo.InvariantCulture, $"W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):00}");

    public static string Number(double? value, string format = "0.#") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string Duration(double seconds) =>
        TimeSpan.FromSeconds(seconds).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
