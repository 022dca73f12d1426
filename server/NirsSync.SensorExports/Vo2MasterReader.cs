using System.Text.RegularExpressions;
using NirsSync.Analysis;

namespace NirsSync.SensorExports;

/// <summary>
/// VO2 Master Manager CSV: header <c>Time[s],Time[hh:mm:ss],HR[bpm],SmO2[%],SmO2 -  2[%],SmO2 -  3[%],THb[THb],THb -  2[THb],THb -  3[THb],RPM[rpm],Speed[km/h],RR[ms]</c>,
/// one row per second, decimal commas inside quoted values ("13,80"), 0,00 where a slot has no reading.
/// The file states no date: the start comes from the caller. The slot number is the sensor number.
/// </summary>
internal static partial class Vo2MasterReader
{
    [GeneratedRegex(@"^\s*(.*?)\s*(?:-\s*(\d+))?\s*\[(.*)\]\s*$")]
    private static partial Regex HeaderName();

    public static bool IsHeader(ReadOnlySpan<char> firstLine) =>
        firstLine.TrimStart('\uFEFF').StartsWith("Time[s]", StringComparison.OrdinalIgnoreCase)
        && firstLine.Contains("SmO2", StringComparison.OrdinalIgnoreCase);

    public static SensorExport Read(CsvRows rows, SensorExportOptions options)
    {
        var format = rows.Format;
        if (!rows.Next()) throw new SensorExportException(format, 1, 0, "the file is empty");
        var headerCount = rows.FieldCount;
        int time = -1, hr = -1, rpm = -1, speed = -1;
        var smo2 = new SortedDictionary<int, int>();
        var thb = new SortedDictionary<int, int>();
        for (var c = 0; c < headerCount; c++)
        {
            var text = rows.TextString(c);
            var m = HeaderName().Match(text);
            if (!m.Success) continue;
            var (name, slot, unit) = (m.Groups[1].Value, m.Groups[2].Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 1, m.Groups[3].Value);
            if (slot is < 1 or > 16) throw rows.Error(c, $"slot {slot} in '{text}' is outside 1..16");
            void Set(ref int column)
            {
                if (column >= 0) throw rows.Error(c, $"column '{text}' appears twice");
                column = c;
            }
            void SetSlot(SortedDictionary<int, int> map)
            {
                if (!map.TryAdd(slot, c)) throw rows.Error(c, $"column '{text}' appears twice");
            }
            if (name.Equals("Time", StringComparison.OrdinalIgnoreCase) && unit.Equals("s", StringComparison.OrdinalIgnoreCase)) Set(ref time);
            else if (name.Equals("HR", StringComparison.OrdinalIgnoreCase)) Set(ref hr);
            else if (name.Equals("RPM", StringComparison.OrdinalIgnoreCase)) Set(ref rpm);
            else if (name.Equals("Speed", StringComparison.OrdinalIgnoreCase) && unit.Equals("km/h", StringComparison.OrdinalIgnoreCase)) Set(ref speed);
            else if (name.Equals("SmO2", StringComparison.OrdinalIgnoreCase)) SetSlot(smo2);
            else if (name.Equals("THb", StringComparison.OrdinalIgnoreCase)) SetSlot(thb);
        }
        if (time < 0) throw new SensorExportException(format, 1, 0, "the header has no 'Time[s]' column");
        if (smo2.Count == 0) throw new SensorExportException(format, 1, 0, "the header has no 'SmO2[%]' column");

        var times = new Column<double>(4096);
        var hrValues = new Column<float>(hr >= 0 ? 4096 : 0);
        var rpmValues = new Column<float>(rpm >= 0 ? 4096 : 0);
        var speedValues = new Column<float>(speed >= 0 ? 4096 : 0);
        var slots = smo2.Keys.Union(thb.Keys).Order().ToArray();
        var s = slots.ToDictionary(k => k, _ => new Column<float>(4096));
        var t = slots.ToDictionary(k => k, _ => new Column<float>(4096));
        var previous = double.NegativeInfinity;
        var first = double.NaN;
        while (rows.Next())
        {
            if (rows.FieldCount != headerCount)
            {
                if (rows.RowIsBlank()) continue;
                throw rows.LineError($"{rows.FieldCount} column(s) where the header (line 1) has {headerCount}");
            }
            if (times.Count == options.MaxRows) throw rows.LineError($"more than {options.MaxRows} data rows");
            var ts = rows.Number(time, "Time[s]", decimalComma: true);
            if (double.IsNaN(ts)) throw rows.Error(time, "the time is missing");
            Assemble.CheckOrder(rows, time, previous, ts);
            previous = ts;
            if (double.IsNaN(first)) first = ts;
            times.Add(ts - first);
            if (hr >= 0) hrValues.Add(Assemble.NonZero(rows.Number(hr, "HR[bpm]", true)));
            if (rpm >= 0) rpmValues.Add(Assemble.Finite(rows.Number(rpm, "RPM[rpm]", true)));
            if (speed >= 0) speedValues.Add(Assemble.Finite(rows.Number(speed, "Speed[km/h]", true) / 3.6));
            foreach (var k in slots)
            {
                s[k].Add(smo2.TryGetValue(k, out var sc) ? Assemble.NonZero(rows.Number(sc, "SmO2[%]", true)) : float.NaN);
                t[k].Add(thb.TryGetValue(k, out var tc) ? Assemble.NonZero(rows.Number(tc, "THb[THb]", true)) : float.NaN);
            }
        }
        if (times.Count == 0) throw new SensorExportException(format, rows.Line, 0, "no data rows after the header");
        var channels = new List<ExportChannel>();
        foreach (var k in slots)
        {
            var sv = s[k].ToArray();
            var tv = t[k].ToArray();
            if (!Assemble.HasAny(sv) && !Assemble.HasAny(tv)) continue; // an empty slot: no sensor
            channels.Add(new ExportChannel($"VO2 Master slot {k}", (uint)k, null, null, Region.Unknown, Side.Unknown,
                sv, null, Assemble.HasAny(tv) ? tv : null, null, null));
        }
        float[]? Opt(int column, Column<float> values) => column >= 0 && values.ToArray() is var a && Assemble.HasAny(a) ? a : null;
        return new SensorExport(format, times.ToArray(), options.Start, options.Start is null ? StartSource.None : StartSource.Override,
            channels, [], null, Opt(hr, hrValues), Opt(rpm, rpmValues), Opt(speed, speedValues), []);
    }
}
