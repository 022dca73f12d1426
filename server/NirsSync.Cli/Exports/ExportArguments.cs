using System.Globalization;
using NirsSync.SensorExports;

namespace NirsSync.Cli;

/// <summary>The <c>--start</c> and <c>--time-zone</c> options of commands that read sensor exports.</summary>
internal static class ExportArguments
{
    /// <summary>Options for reading an export, or the problem with the arguments.</summary>
    public static (SensorExportOptions? Options, string? Problem) Parse(string? start, string? timeZone, TimeProvider? clock = null)
    {
        var zone = TimeZoneInfo.Local;
        if (!string.IsNullOrWhiteSpace(timeZone))
        {
            try { zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim()); }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                return (null, $"--time-zone: '{timeZone}' is not a known IANA time zone (e.g. Europe/Berlin)");
            }
        }
        DateTimeOffset? first = null;
        if (!string.IsNullOrWhiteSpace(start))
        {
            var s = start.Trim();
            var hasOffset = s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && s[^6] is '+' or '-' && s[^3] == ':');
            if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return (null, $"--start: '{start}' is not a date and time like 2026-02-06T13:17:13+01:00");
            if (!hasOffset)
            {
                // A wall-clock time without offset is read in the time zone.
                var local = DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.None), DateTimeKind.Unspecified);
                parsed = new DateTimeOffset(local, zone.GetUtcOffset(local));
            }
            first = parsed;
        }
        return (new SensorExportOptions { TimeZone = zone, Start = first, Reference = (clock ?? TimeProvider.System).GetUtcNow() }, null);
    }

    /// <summary>One line per fact about an export, for the text output of <c>inspect</c>.</summary>
    public static void Describe(TextWriter w, SensorExport e)
    {
        var ci = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(ci,
            $"  export {e.Format}: {e.Count} samples at {e.SampleRateHz:0.##} Hz over {e.DurationS:0.#} s, start {(e.Start?.ToString("O", ci) ?? "unknown")} ({e.StartSource}), {e.Laps.Count} lap(s)"));
        foreach (var c in e.Channels)
            w.WriteLine(string.Create(ci,
                $"  sensor {c.Name}: number {(c.Sensor?.ToString(ci) ?? "?")}{(c.Position is { } p ? $", position {p} ({c.Region} {c.Side})" : "")}, "
                + $"{(c.THb is null ? "no tHb in g/dL" : "tHb g/dL")}{(c.O2Hb is null ? "" : ", O2Hb/HHb in arbitrary units")}"));
    }
}
