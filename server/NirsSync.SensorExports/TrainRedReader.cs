using NirsSync.Analysis;

namespace NirsSync.SensorExports;

/// <summary>
/// Train.Red app CSV export: a metadata block ("Train.Red Export for,Session at 2025-05-06 2:15 p.m.", per
/// sensor "Sensor ID,Train.Red FYER 0673" and "Sensor Position,legRightUpperFront", in newer versions more),
/// a row naming each sensor above its group of columns, then one header row: <c>Timestamp (seconds passed),Lap/Event</c>
/// and per sensor (groups separated by an empty column) <c>SmO2, SmO2 unfiltered, O2HB unfiltered, HHb unfiltered</c>
/// or the newer nine columns. The names repeat in every group. Timestamps are seconds since the session
/// start (they need not start at 0); haemoglobin is in arbitrary units.
/// </summary>
internal static class TrainRedReader
{
    public const string TimestampHeader = "Timestamp (seconds passed)";

    private sealed class Group
    {
        public required string Name;
        public int SmO2 = -1, SmO2Unfiltered = -1, O2Hb = -1, HHb = -1;
        public Column<float> SmO2Values = null!, UnfilteredValues = null!, O2HbValues = null!, HHbValues = null!;
    }

    private sealed class SensorBlock
    {
        public string? Id;
        public string? Position;
    }

    public static SensorExport Read(CsvRows rows, SensorExportOptions options, int estimatedRows)
    {
        var format = rows.Format;
        var metadata = new List<KeyValuePair<string, string>>();
        var blocks = new List<SensorBlock>();
        DateTime? session = null;
        string[]? names = null;
        string[]? previous = null;
        while (true)
        {
            if (!rows.Next()) throw new SensorExportException(format, rows.Line, 0, $"no header line starting '{TimestampHeader}' found");
            if (rows.Text(0).Trim().Equals(TimestampHeader, StringComparison.OrdinalIgnoreCase)) { names = previous; break; }
            previous = null;
            if (rows.RowIsBlank()) continue;
            var key = rows.TextString(0);
            var value = rows.FieldCount > 1 ? rows.TextString(1) : "";
            previous = Enumerable.Range(0, rows.FieldCount).Select(rows.TextString).ToArray();
            if (key.StartsWith("---", StringComparison.Ordinal)) continue;
            if (key.Length > 0) metadata.Add(new(key, value));
            if (key.StartsWith("Train.Red Export", StringComparison.OrdinalIgnoreCase)) session = ExportTime.SessionDate(value);
            else if (System.Text.RegularExpressions.Regex.IsMatch(key, @"^Sensor \d+$")) blocks.Add(new SensorBlock());
            else if (key.Equals("Sensor ID", StringComparison.OrdinalIgnoreCase) && blocks.Count > 0) blocks[^1].Id = value;
            else if (key.Equals("Sensor Position", StringComparison.OrdinalIgnoreCase) && blocks.Count > 0) blocks[^1].Position = value;
        }

        // Header: Timestamp, Lap/Event, then groups of columns separated by empty ones.
        var headerLine = rows.Line;
        var headerCount = rows.FieldCount;
        var lap = -1;
        var groups = new List<Group>();
        Group? current = null;
        var groupStart = 1;
        for (var c = 1; c < headerCount; c++)
        {
            var h = rows.TextString(c);
            if (c == 1 && h.StartsWith("Lap", StringComparison.OrdinalIgnoreCase)) { lap = c; groupStart = c + 1; continue; }
            if (h.Length == 0) { current = null; groupStart = c; continue; }
            if (current is null)
            {
                string? name = null;
                for (var k = groupStart; k <= c && names is not null; k++)
                    if (k < names.Length && names[k].Length > 0) { name = names[k]; break; }
                current = new Group { Name = name ?? $"sensor {groups.Count + 1}" };
                groups.Add(current);
            }
            ref var slot = ref current.SmO2;
            if (h.Equals("SmO2", StringComparison.OrdinalIgnoreCase)) slot = ref current.SmO2;
            else if (h.Equals("SmO2 unfiltered", StringComparison.OrdinalIgnoreCase)) slot = ref current.SmO2Unfiltered;
            else if (h.Equals("O2HB unfiltered", StringComparison.OrdinalIgnoreCase)) slot = ref current.O2Hb;
            else if (h.Equals("HHb unfiltered", StringComparison.OrdinalIgnoreCase)) slot = ref current.HHb;
            else continue; // HBDiff, Muscle state/trend, THb unfiltered (a.u.), HBDiff unfiltered: not read
            if (slot >= 0) throw rows.Error(c, $"column '{h}' appears twice for {current.Name}");
            slot = c;
        }
        if (groups.Count == 0) throw new SensorExportException(format, headerLine, 0, "the header has no sensor columns");
        if (groups.Count > SensorExport.MaxChannels)
            throw new SensorExportException(format, headerLine, 0, $"{groups.Count} sensors, more than {SensorExport.MaxChannels}");
        foreach (var g in groups)
            if (g.SmO2 < 0) throw new SensorExportException(format, headerLine, 0, $"{g.Name} has no 'SmO2' column");

        var capacity = Math.Min(estimatedRows, options.MaxRows);
        var times = new Column<double>(capacity);
        var laps = lap >= 0 ? new Column<float>(capacity) : null;
        foreach (var g in groups)
        {
            g.SmO2Values = new Column<float>(capacity);
            g.UnfilteredValues = new Column<float>(g.SmO2Unfiltered >= 0 ? capacity : 0);
            g.O2HbValues = new Column<float>(g.O2Hb >= 0 ? capacity : 0);
            g.HHbValues = new Column<float>(g.HHb >= 0 ? capacity : 0);
        }
        var previousT = double.NegativeInfinity;
        var firstT = double.NaN;
        while (rows.Next())
        {
            if (rows.FieldCount != headerCount)
            {
                if (rows.RowIsBlank()) continue;
                throw rows.LineError($"{rows.FieldCount} column(s) where the header (line {headerLine}) has {headerCount}");
            }
            if (times.Count == options.MaxRows) throw rows.LineError($"more than {options.MaxRows} data rows");
            var t = Get(rows, 0, TimestampHeader);
            if (double.IsNaN(t)) throw rows.Error(0, "the timestamp is missing");
            Assemble.CheckOrder(rows, 0, previousT, t);
            previousT = t;
            if (double.IsNaN(firstT)) firstT = t;
            times.Add(t - firstT);
            laps?.Add(Assemble.Finite(Get(rows, lap, "Lap/Event")));
            foreach (var g in groups)
            {
                g.SmO2Values.Add(Assemble.NonZero(Get(rows, g.SmO2, "SmO2")));
                if (g.SmO2Unfiltered >= 0) g.UnfilteredValues.Add(Assemble.NonZero(Get(rows, g.SmO2Unfiltered, "SmO2 unfiltered")));
                if (g.O2Hb >= 0) g.O2HbValues.Add(Assemble.Finite(Get(rows, g.O2Hb, "O2HB unfiltered")));
                if (g.HHb >= 0) g.HHbValues.Add(Assemble.Finite(Get(rows, g.HHb, "HHb unfiltered")));
            }
        }
        if (times.Count == 0) throw new SensorExportException(format, rows.Line, 0, "no data rows after the header");

        var (start, source) = options.Start is { } overridden ? (overridden, StartSource.Override)
            : session is { } s ? (ExportTime.ToInstant(s, options.TimeZone).AddSeconds(firstT), StartSource.File)
            : ((DateTimeOffset?)null, StartSource.None);
        var timeS = times.ToArray();
        var channels = new List<ExportChannel>();
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            var block = blocks.FirstOrDefault(b => b.Id is not null && b.Id.Equals(g.Name, StringComparison.OrdinalIgnoreCase))
                ?? (i < blocks.Count ? blocks[i] : null);
            var id = block?.Id ?? g.Name;
            var position = string.IsNullOrWhiteSpace(block?.Position) ? null : block!.Position;
            var location = Positions.BodyLocation(position);
            var (region, side) = location is { } l ? Muscles.FromBodyLocation(l) : (Region.Unknown, Side.Unknown);
            if (position is not null && side == Side.Unknown) side = Positions.SideOf(position);
            var smo2 = g.SmO2Values.ToArray();
            float[]? Opt(int column, Column<float> values) => column >= 0 ? values.ToArray() : null;
            var o2hb = Opt(g.O2Hb, g.O2HbValues);
            var hhb = Opt(g.HHb, g.HHbValues);
            if (!Assemble.HasAny(smo2) && !Assemble.HasAny(o2hb)) continue;
            channels.Add(new ExportChannel(id, Assemble.Serial(id), position, location, region, side, smo2,
                Opt(g.SmO2Unfiltered, g.UnfilteredValues), null, o2hb, hhb));
        }
        return new SensorExport(format, timeS, start, source, channels, Assemble.Laps(timeS, laps?.ToArray()),
            null, null, null, null, metadata);
    }

    private static double Get(CsvRows rows, int column, string name)
    {
        if (rows.TryNumberFast(column, out var v)) return v;
        return rows.Number(column, name);
    }
}

/// <summary>Body positions as apps write them ("legRightUpperFront") as FIT body_location codes.</summary>
internal static class Positions
{
    /// <summary>
    /// FIT body_location: 1/7 calf, 2/8 shin, 3/9 hamstring, 4/10 quad, 5/11 glute, 0/6 leg (left/right);
    /// null when the text names no side or no leg part.
    /// </summary>
    public static int? BodyLocation(string? position)
    {
        if (position is null) return null;
        var p = position.ToLowerInvariant();
        var side = SideOf(position);
        if (side == Side.Unknown) return null;
        var right = side == Side.Right ? 6 : 0;
        if (p.Contains("glute") || p.Contains("hip") || p.Contains("buttock")) return 5 + right;
        if (!p.Contains("leg") && !p.Contains("thigh") && !p.Contains("calf") && !p.Contains("quad") && !p.Contains("shin")) return null;
        bool upper = p.Contains("upper") || p.Contains("thigh") || p.Contains("quad"), lower = p.Contains("lower") || p.Contains("calf") || p.Contains("shin");
        bool front = p.Contains("front") || p.Contains("quad") || p.Contains("shin"), back = p.Contains("back") || p.Contains("rear") || p.Contains("calf");
        if (upper && front) return 4 + right;
        if (upper && back) return 3 + right;
        if (lower && back) return 1 + right;
        if (lower && front) return 2 + right;
        return 0 + right;
    }

    public static Side SideOf(string position)
    {
        var p = position.ToLowerInvariant();
        bool left = p.Contains("left"), right = p.Contains("right");
        return left == right ? Side.Unknown : left ? Side.Left : Side.Right;
    }
}
