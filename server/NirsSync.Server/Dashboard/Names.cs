using System.Globalization;
using System.Text.RegularExpressions;
using NirsSync.Analysis;

namespace NirsSync.Server.Dashboard;

/// <summary>Readable names for subjects ("vastus_lateralis/left") and metrics ("smo2_p50").</summary>
public static partial class Names
{
    /// <summary>
    /// A trend subject as a coach reads it: "Vastus lateralis (left)" for "vastus_lateralis/left"; a pair of one muscle's
    /// sides "Vastus lateralis L/R"; two muscles of one side "Gastrocnemius medial/lateral L"; anything else "A vs B".
    /// </summary>
    public static string Subject(string subject)
    {
        var parts = subject.Split('|');
        if (parts.Length == 2)
        {
            var a = parts[0].Split('/');
            var b = parts[1].Split('/');
            if (a.Length == 2 && b.Length == 2 && a[0] == b[0] && a[1] == "left" && b[1] == "right") return Muscle(a[0]) + " L/R";
            if (a.Length == 2 && b.Length == 2 && a[1] == b[1]) return Pair($"{a[0]}/{b[0]} {a[1]}");
        }
        return string.Join(" vs ", parts.Select(One));
    }

    private static string One(string subject)
    {
        var parts = subject.Split('/');
        var muscle = Muscle(parts[0]);
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

    /// <summary>"m:ss" under an hour, else "h:mm:ss" in whole hours, so a 26-hour race reads 26:00:00 (a TimeSpan's "h" drops the days).</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Floor(t.TotalHours)}:{t.Minutes:00}:{t.Seconds:00}")
            : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A ride's length as a coach counts it: the time from the first to the last record (the API's <c>durationSeconds</c>)
    /// plus the one sample interval the last record stands for, so 2,700 one-second records read 45:00, not 44:59.
    /// </summary>
    public static string RideDuration(double durationSeconds, int recordCount) =>
        Duration(Math.Round(recordCount > 1 ? durationSeconds + durationSeconds / (recordCount - 1) : durationSeconds));

    /// <summary>"Vastus lateralis" for "vastus_lateralis", "Gastrocnemius medial" for "gastrocnemius_medial_head".</summary>
    public static string Muscle(string muscle)
    {
        var text = muscle.Replace("_head", "", StringComparison.Ordinal).Replace('_', ' ').Trim();
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string SideLetter(string? side) => side switch { "left" => " L", "right" => " R", _ => "" };

    /// <summary>
    /// A sensor as the coach knows it: its muscle and side when the sensor map or the FIT labels give them
    /// ("Vastus lateralis L"), else the raw channel label ("data field 0 sensor 1"), else the sensor number.
    /// </summary>
    public static string Channel(string? muscle, string? side, string? label, long? sensor = null) =>
        muscle is { Length: > 0 } m && m != "unknown" ? Muscle(m) + SideLetter(side)
        : label is { Length: > 0 } ? label
        : sensor is { } s ? string.Create(CultureInfo.InvariantCulture, $"sensor {s}") : "a sensor";

    /// <summary>
    /// The analysis' pair names read like a coach writes them: "vastus_lateralis left/right" → "Vastus lateralis L/R",
    /// "gastrocnemius_medial_head/gastrocnemius_lateral_head left" → "Gastrocnemius medial/lateral L",
    /// "vastus_lateralis/vastus_medialis right" → "Vastus lateralis/medialis R". Other names (a coach's own) stay as given.
    /// </summary>
    public static string Pair(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "–";
        if (LeftRight().Match(name) is { Success: true } lr) return Muscle(lr.Groups[1].Value) + " L/R";
        if (TwoMuscles().Match(name) is { Success: true } two)
        {
            var a = Muscle(two.Groups[1].Value).Split(' ');
            var b = Muscle(two.Groups[2].Value).Split(' ');
            var joined = a.Length > 1 && b.Length > 1 && string.Equals(a[0], b[0], StringComparison.OrdinalIgnoreCase)
                ? $"{a[0]} {string.Join(' ', a[1..])}/{string.Join(' ', b[1..])}"
                : $"{string.Join(' ', a)}/{string.Join(' ', b).ToLowerInvariant()}";
            return joined + SideLetter(two.Groups[3].Value);
        }
        return name;
    }

    [GeneratedRegex("^([a-z_]+) left/right$", RegexOptions.CultureInvariant)]
    private static partial Regex LeftRight();

    [GeneratedRegex("^([a-z_]+)/([a-z_]+) (left|right|unknown)$", RegexOptions.CultureInvariant)]
    private static partial Regex TwoMuscles();
}
