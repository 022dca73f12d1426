using System.Text.RegularExpressions;
using NirsSync.Analysis;

namespace NirsSync.SensorExports;

/// <summary>
/// PerfPRO Studio XLSX: row 1 "PerfPRO Studio v8.26.02", row 2 "FILENAME", row 3 the header
/// <c>Time, MS, MSDiff, Watts, W'%, LOAD, HR, Cadence, Speed, Distance, Grade%, Lap, SS, SSL, SSR, PwrL, PwrR, TorqL, TorqR, SmO2 (1614), ThB (1614), ...</c>:
/// each sensor's serial in parentheses, several rows per second. Time: MS (elapsed milliseconds) where
/// it holds a number, else Time (h:mm:ss text or an Excel day fraction). No date: the start comes from the caller.
/// </summary>
internal static partial class PerfProReader
{
    [GeneratedRegex(@"^(SmO2|ThB|THb)\s*\(\s*(\d+)\s*\)$", RegexOptions.IgnoreCase)]
    private static partial Regex SensorColumn();

    public static bool IsTitle(string text) => text.TrimStart().StartsWith("PerfPRO Studio", StringComparison.OrdinalIgnoreCase);

    public static SensorExport Read(Rows rows, SensorExportOptions options)
    {
        var format = rows.Format;
        var metadata = new List<KeyValuePair<string, string>>();
        // Header: the first row whose first cell is "Time".
        while (true)
        {
            if (!rows.Next()) throw new SensorExportException(format, rows.Line, 0, "no header row starting 'Time' found");
            if (rows.TextString(0).Equals("Time", StringComparison.OrdinalIgnoreCase)) break;
            if (rows.Line > 20) throw new SensorExportException(format, rows.Line, 0, "no header row starting 'Time' in the first 20 rows");
            var cells = Enumerable.Range(0, rows.FieldCount).Select(rows.TextString).Where(x => x.Length > 0).ToArray();
            if (cells.Length > 0) metadata.Add(new(cells[0], string.Join(" ", cells.Skip(1))));
        }
        var headerLine = rows.Line;
        int ms = -1, watts = -1, hr = -1, cadence = -1, lap = -1;
        var sensors = new List<(uint Serial, int SmO2, int THb)>();
        for (var c = 0; c < rows.FieldCount; c++)
        {
            var h = rows.TextString(c);
            void Set(ref int column)
            {
                if (column >= 0) throw rows.Error(c, $"column '{h}' appears twice");
                column = c;
            }
            if (h.Equals("MS", StringComparison.OrdinalIgnoreCase)) Set(ref ms);
            else if (h.Equals("Watts", StringComparison.OrdinalIgnoreCase)) Set(ref watts);
            else if (h.Equals("HR", StringComparison.OrdinalIgnoreCase)) Set(ref hr);
            else if (h.Equals("Cadence", StringComparison.OrdinalIgnoreCase)) Set(ref cadence);
            else if (h.Equals("Lap", StringComparison.OrdinalIgnoreCase)) Set(ref lap);
            else if (SensorColumn().Match(h) is { Success: true } m)
            {
                var serial = uint.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                var isSmO2 = m.Groups[1].Value.Equals("SmO2", StringComparison.OrdinalIgnoreCase);
                var i = sensors.FindIndex(x => x.Serial == serial);
                if (i < 0) { sensors.Add((serial, -1, -1)); i = sensors.Count - 1; }
                var x = sensors[i];
                if ((isSmO2 ? x.SmO2 : x.THb) >= 0) throw rows.Error(c, $"column '{h}' appears twice");
                sensors[i] = isSmO2 ? x with { SmO2 = c } : x with { THb = c };
            }
        }
        if (sensors.Count == 0) throw new SensorExportException(format, headerLine, 0, "the header has no 'SmO2 (serial)' column");
        if (sensors.Count > SensorExport.MaxChannels)
            throw new SensorExportException(format, headerLine, 0, $"{sensors.Count} sensors, more than {SensorExport.MaxChannels}");
        foreach (var x in sensors)
            if (x.SmO2 < 0) throw new SensorExportException(format, headerLine, 0, $"sensor {x.Serial} has a ThB column but no SmO2");

        var times = new Column<double>(4096);
        var power = new Column<float>(4096);
        var heart = new Column<float>(4096);
        var cad = new Column<float>(4096);
        var laps = new Column<float>(4096);
        var s = sensors.Select(_ => new Column<float>(4096)).ToArray();
        var t = sensors.Select(_ => new Column<float>(4096)).ToArray();
        var previous = double.NegativeInfinity;
        var first = double.NaN;
        while (rows.Next())
        {
            if (rows.RowIsBlank()) continue;
            if (times.Count == options.MaxRows) throw rows.LineError($"more than {options.MaxRows} data rows");
            var seconds = ms >= 0 ? rows.Number(ms, "MS") / 1000 : double.NaN;
            if (double.IsNaN(seconds)) seconds = TimeCell(rows);
            Assemble.CheckOrder(rows, ms >= 0 ? ms : 0, previous, seconds);
            previous = seconds;
            if (double.IsNaN(first)) first = seconds;
            times.Add(seconds - first);
            power.Add(watts >= 0 ? Assemble.Finite(rows.Number(watts, "Watts")) : float.NaN);
            heart.Add(hr >= 0 ? Assemble.NonZero(rows.Number(hr, "HR")) : float.NaN);
            cad.Add(cadence >= 0 ? Assemble.Finite(rows.Number(cadence, "Cadence")) : float.NaN);
            laps.Add(lap >= 0 ? Assemble.Finite(rows.Number(lap, "Lap")) : float.NaN);
            for (var i = 0; i < sensors.Count; i++)
            {
                s[i].Add(Assemble.NonZero(rows.Number(sensors[i].SmO2, "SmO2")));
                t[i].Add(sensors[i].THb >= 0 ? Assemble.NonZero(rows.Number(sensors[i].THb, "ThB")) : float.NaN);
            }
        }
        if (times.Count == 0) throw new SensorExportException(format, rows.Line, 0, "no data rows after the header");
        var timeS = times.ToArray();
        var channels = new List<ExportChannel>();
        for (var i = 0; i < sensors.Count; i++)
        {
            var sv = s[i].ToArray();
            var tv = t[i].ToArray();
            if (!Assemble.HasAny(sv) && !Assemble.HasAny(tv)) continue;
            channels.Add(new ExportChannel($"PerfPro {sensors[i].Serial}", sensors[i].Serial, null, null, Region.Unknown, Side.Unknown,
                sv, null, Assemble.HasAny(tv) ? tv : null, null, null));
        }
        float[]? Opt(Column<float> c) => c.ToArray() is var a && Assemble.HasAny(a) ? a : null;
        return new SensorExport(format, timeS, options.Start, options.Start is null ? StartSource.None : StartSource.Override,
            channels, Assemble.Laps(timeS, lap >= 0 ? laps.ToArray() : null), Opt(power), Opt(heart), Opt(cad), null, metadata);
    }

    private static double TimeCell(Rows rows)
    {
        if (rows.NumberCell(0) is { } fraction)
        {
            if (fraction < 0) throw rows.Error(0, $"time {fraction} is negative");
            return Math.Round(fraction * 86400, 3);
        }
        var text = rows.Text(0);
        if (text.Trim().IsEmpty) throw rows.Error(0, "the time is missing");
        return (ExportTime.Clock(text) ?? throw rows.Error(0, $"'{Rows.Clip(text)}' is not a time like 0:01:02.5")).TotalSeconds;
    }
}
