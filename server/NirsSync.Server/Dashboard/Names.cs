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

    /// <summary>The metric's label from the catalogue; an unknown key with spaces for underscores.</summary>
    public static string Metric(string metric) => MetricCatalogue.Find(metric)?.Label ?? metric.Replace('_', ' ');

    public static string Week(DateOnly monday) =>
        string.Create(CultureInfo.InvariantCulture, $"W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):00}");

    public static string Number(double? value, string format = "0.#") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string Duration(double seconds) =>
        TimeSpan.FromSeconds(seconds).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
