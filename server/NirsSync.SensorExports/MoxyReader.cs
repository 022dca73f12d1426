using System.Text.RegularExpressions;
using NirsSync.Analysis;

namespace NirsSync.SensorExports;

/// <summary>
/// Moxy onboard export, CSV or the same saved as XLSX: metadata lines ("FW Part Number: ...", "LUT Part
/// Number: SN1614 ...", "SensorID: 3612"), then the header <c>mm-dd,hh:mm:ss,SmO2 Live,SmO2 Averaged,THb,Lap,Session Ct</c>
/// (further sensors as "SmO2 Live(2)", "THb(2)"), one row per sample. The date has no year in the CSV
/// (an Excel day serial in the XLSX), the time is the sensor's local clock (text, or a day fraction in the XLSX).
/// </summary>
internal static partial class MoxyReader
{
    [GeneratedRegex(@"^(.*?)\s*\((\d+)\)\s*$")]
    private static partial Regex Suffixed();

    public static bool IsHeader(ReadOnlySpan<char> first, ReadOnlySpan<char> second) =>
        first.Trim().Equals("mm-dd", StringComparison.OrdinalIgnoreCase) && second.Trim().Equals("hh:mm:ss", StringComparison.OrdinalIgnoreCase);

    private sealed class Channel
    {
        public int Live = -1, THb = -1;
        public Column<float>? SmO2Values, THbValues;
    }

    public static SensorExport Read(Rows rows, SensorExportOptions options)
    {
        var format = rows.Format;
        var metadata = new List<KeyValuePair<string, string>>();
        var serials = new List<(string Text, uint Number)>();
        uint? sensorId = null;
        while (true)
        {
            if (!rows.Next()) throw new SensorExportException(format, rows.Line, 0, "no header line 'mm-dd,hh:mm:ss,...' found");
            if (IsHeader(rows.Text(0), rows.Text(1))) break;
            if (rows.RowIsBlank()) continue;
            var text = rows.TextString(0);
            var colon = text.IndexOf(':');
            var (key, value) = colon > 0 ? (text[..colon].Trim(), text[(colon + 1)..].Trim()) : (text, "");
            metadata.Add(new(key, value));
            if (key.Equals("LUT Part Number", StringComparison.OrdinalIgnoreCase) && Assemble.Serial(value) is { } lut) serials.Add((value, lut));
            if (key.Equals("SensorID", StringComparison.OrdinalIgnoreCase) || key.Equals("Sensor ID", StringComparison.OrdinalIgnoreCase))
                sensorId = Assemble.Serial(value) ?? throw rows.Error(0, $"SensorID '{Rows.Clip(value)}' is not a number");
        }

        // Header: channel k's columns are "NAME(k)", or the k-th repeat of NAME.
        var headerLine = rows.Line;
        var channels = new SortedDictionary<int, Channel>();
        int lap = -1;
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var c = 2; c < rows.FieldCount; c++)
        {
            var name = rows.TextString(c);
            if (name.Length == 0) continue;
            var m = Suffixed().Match(name);
            var baseName = m.Success ? m.Groups[1].Value : name;
            int k;
            if (m.Success) k = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            else k = seen[baseName] = seen.GetValueOrDefault(baseName) + 1;
            if (k is < 1 or > 16) throw rows.Error(c, $"channel number {k} in '{name}' is outside 1..16");
            Channel Ch() => channels.TryGetValue(k, out var ch) ? ch : channels[k] = new Channel();
            if (baseName.Equals("SmO2 Live", StringComparison.OrdinalIgnoreCase))
            {
                if (Ch().Live >= 0) throw rows.Error(c, $"column '{name}' appears twice");
                Ch().Live = c;
            }
            else if (baseName.Equals("THb", StringComparison.OrdinalIgnoreCase))
            {
                if (Ch().THb >= 0) throw rows.Error(c, $"column '{name}' appears twice");
                Ch().THb = c;
            }
            else if (baseName.Equals("Lap", StringComparison.OrdinalIgnoreCase) && k == 1) lap = c;
        }
        if (channels.Count == 0 || channels.Values.All(ch => ch.Live < 0))
            throw new SensorExportException(format, headerLine, 0, "the header has no 'SmO2 Live' column");
        foreach (var (k, ch) in channels)
            if (ch.Live < 0) throw new SensorExportException(format, headerLine, 0, $"channel {k} has a THb column but no 'SmO2 Live'");
        var headerCount = rows.FieldCount;

        var times = new Column<double>(4096);
        var laps = lap >= 0 ? new Column<float>(4096) : null;
        foreach (var ch in channels.Values)
        {
            ch.SmO2Values = new Column<float>(4096);
            if (ch.THb >= 0) ch.THbValues = new Column<float>(4096);
        }
        DateTime? firstLocal = null;
        var firstHasYear = false;
        var csv = rows is CsvRows;
        var previous = double.NegativeInfinity;
        var first = (Month: 0, Day: 0);
        var firstYear = 0;
        while (rows.Next())
        {
            if (rows.RowIsBlank()) continue;
            if (csv && rows.FieldCount != headerCount)
                throw rows.LineError($"{rows.FieldCount} column(s) where the header (line {headerLine}) has {headerCount}");
            if (!csv && rows.FieldCount < 2) throw rows.Error(rows.FieldCount, "the row has no time");
            if (times.Count == options.MaxRows) throw rows.LineError($"more than {options.MaxRows} data rows");
            // Date: "06-Feb" (no year: the year that puts the first row closest before the reference) or an Excel day serial.
            var time = TimeOfDay(rows, 1);
            DateTime day;
            var hasYear = false;
            if (rows.NumberCell(0) is { } serial)
            {
                day = ExportTime.ExcelDay(serial) ?? throw rows.Error(0, $"day serial {serial} is not a date");
                hasYear = true;
            }
            else
            {
                var dm = ExportTime.DayMonth(rows.Text(0)) ?? throw rows.Error(0, $"'{Rows.Clip(rows.Text(0))}' is not a day and month like 06-Feb");
                if (firstLocal is null)
                {
                    first = dm;
                    firstYear = options.Start is { } st
                        ? TimeZoneInfo.ConvertTime(st, options.TimeZone).Year
                        : ExportTime.YearBefore(dm.Month, dm.Day, time, options.Reference ?? DateTimeOffset.UtcNow, options.TimeZone);
                }
                // Across New Year the month and day go back: the year after the first row's.
                var year = firstYear + ((dm.Month, dm.Day).CompareTo(first) < 0 ? 1 : 0);
                if (dm.Day > DateTime.DaysInMonth(year, dm.Month)) throw rows.Error(0, $"{dm.Day:00}-{dm.Month:00} does not exist in {year}");
                day = new DateTime(year, dm.Month, dm.Day);
            }
            var local = day + time;
            if (firstLocal is null) { firstLocal = local; firstHasYear = hasYear; }
            else if (hasYear != firstHasYear) throw rows.Error(0, "dates mix day serials and day-month text");
            var t = (local - firstLocal.Value).TotalSeconds;
            Assemble.CheckOrder(rows, 1, previous, t);
            previous = t;
            times.Add(t);
            foreach (var ch in channels.Values)
            {
                ch.SmO2Values!.Add(Assemble.NonZero(rows.Number(ch.Live, "SmO2 Live")));
                ch.THbValues?.Add(Assemble.NonZero(rows.Number(ch.THb, "THb")));
            }
            laps?.Add(Assemble.Finite(rows.Number(lap, "Lap")));
        }
        if (times.Count == 0) throw new SensorExportException(format, rows.Line, 0, "no data rows after the header");

        // The instant of the first row: the file's date (the year from the reference when the file has none), in the athlete's zone.
        var (start, source) = options.Start is { } overridden
            ? (overridden, StartSource.Override)
            : (ExportTime.ToInstant(firstLocal!.Value, options.TimeZone), StartSource.File);

        var timeS = times.ToArray();
        var result = new List<ExportChannel>();
        var index = 0;
        foreach (var (k, ch) in channels)
        {
            // SensorID names the sensor when the file has it; else the LUT serials, in channel order.
            uint? sensor = index == 0 && sensorId is { } id ? id : index < serials.Count ? serials[index].Number : null;
            var smo2 = ch.SmO2Values!.ToArray();
            var thb = ch.THbValues?.ToArray();
            index++;
            if (!Assemble.HasAny(smo2) && !Assemble.HasAny(thb)) continue;
            var name = sensor is { } s ? $"Moxy {s}" : k == 1 ? "Moxy" : $"Moxy ({k})";
            result.Add(new ExportChannel(name, sensor, null, null, Region.Unknown, Side.Unknown, smo2, null,
                Assemble.HasAny(thb) ? thb : null, null, null));
        }
        return new SensorExport(format, timeS, start, source, result, Assemble.Laps(timeS, laps?.ToArray()),
            null, null, null, null, metadata);
    }

    private static TimeSpan TimeOfDay(Rows rows, int column)
    {
        if (rows.NumberCell(column) is { } n)
        {
            if (n is < 0 or >= 1) throw rows.Error(column, $"time {n} is not a fraction of a day");
            return TimeSpan.FromSeconds(Math.Round(n * 86400, 3));
        }
        var text = rows.Text(column);
        if (text.Trim().IsEmpty) throw rows.Error(column, "the time is missing");
        var t = ExportTime.Clock(text) ?? throw rows.Error(column, $"'{Rows.Clip(text)}' is not a time like 13:17:13");
        if (t >= TimeSpan.FromDays(1)) throw rows.Error(column, $"'{Rows.Clip(text)}' is past midnight");
        return t;
    }
}
