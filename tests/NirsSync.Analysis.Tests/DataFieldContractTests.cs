using System.Globalization;
using System.Text.RegularExpressions;
using NirsSync.Analysis;
using NirsSync.Fit;

namespace NirsSync.Analysis.Tests;

/// <summary>
/// docs/fit-fields.md is the data field's FIT contract; the C# definition (DataFieldContract, Muscle, Side) must say
/// the same: application id, every record, lap and session field (number, name, type, units, scale) of the four sensor
/// slots, the 20-bit device numbers, the assessment fields and the byte budget, muscle and side codes.
/// </summary>
public sealed partial class DataFieldContractTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "fit-fields.md"));

    [Fact]
    public void ApplicationIdIsTheOneTheDocumentNames()
    {
        var id = AppId().Match(Doc);
        Assert.True(id.Success, "docs/fit-fields.md names no application id");
        Assert.Equal(DataFieldContract.ApplicationId, id.Groups[1].Value);
        var bytes = Convert.FromHexString(AppBytes().Match(Doc).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal(bytes, DataFieldContract.ApplicationIdBytes());
    }

    [Fact]
    public void FieldNumbersAndNamesMatchTheDocumentTables()
    {
        var rows = FieldRow().Matches(Doc).ToDictionary(m => m.Groups[2].Value, m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        for (var slot = 1; slot <= DataFieldContract.Slots; slot++)
        {
            Assert.Equal(rows[DataFieldContract.SmO2Name(slot)], DataFieldContract.SmO2Field(slot));
            Assert.Equal(rows[DataFieldContract.THbName(slot)], DataFieldContract.THbField(slot));
            Assert.Equal(rows[DataFieldContract.MuscleName(slot)], DataFieldContract.MuscleField(slot));
            Assert.Equal(rows[DataFieldContract.SideName(slot)], DataFieldContract.SideField(slot));
            if (DataFieldContract.IsFullSlot(slot))
            {
                Assert.Equal(rows[DataFieldContract.DeviceName(slot)], DataFieldContract.DeviceField(slot));
                Assert.Equal(rows[DataFieldContract.DeviceHighName(slot)], DataFieldContract.DeviceHighField(slot));
            }
        }
        Assert.Equal(DataFieldContract.FirstLapField, rows["lap_smo2_avg_1"]);
        Assert.Equal(DataFieldContract.FirstSessionStatisticField, rows["ses_smo2_avg_1"]);
        Assert.Equal(1, DataFieldContract.SlotOfRecordField("smo2_1", rows["smo2_1"]));
        Assert.Equal(2, DataFieldContract.SlotOfRecordField("thb_2", rows["thb_2"]));
        Assert.Null(DataFieldContract.SlotOfRecordField("smo2_1", rows["smo2_2"]));
        Assert.Equal(3, DataFieldContract.SlotOfRecordField("smo2_3", rows["smo2_3"]));
        Assert.Equal(4, DataFieldContract.SlotOfRecordField("thb_4", rows["thb_4"]));
        Assert.Null(DataFieldContract.SlotOfRecordField("asmt_sat", rows["asmt_sat"]));
        Assert.Equal(DataFieldContract.Slots, Enumerable.Range(1, 9).Count(k => rows.ContainsKey($"smo2_{k}")));
    }

    /// <summary>One row of the record, lap and session tables of docs/fit-fields.md ("16-21 | lap_..._2" rows expanded).</summary>
    private sealed record DocField(ushort Message, byte Number, string Name, FitBaseType BaseType, string Units, double Scale);

    private static List<DocField> DocFields()
    {
        var fields = new List<DocField>();
        ushort? message = null;
        string[]? header = null;
        foreach (var raw in Doc.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                message = line.StartsWith("### record (20)", StringComparison.Ordinal) ? FitProfile.Record
                    : line.StartsWith("### lap (19)", StringComparison.Ordinal) ? FitProfile.Lap
                    : line.StartsWith("### session (18)", StringComparison.Ordinal) ? FitProfile.Session : null;
                header = null;
                continue;
            }
            if (message is not { } mesg || !line.StartsWith('|')) continue;
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells[0] == "id") { header = cells; continue; }
            if (header is null || cells[0].StartsWith('-')) continue;
            string Cell(string name) => cells[Array.IndexOf(header, name)];
            var range = FieldRange().Match(cells[0]);
            if (range.Success)
            {
                // "16-21 | lap_..._2 | ... | the same for sensor 2": the block of rows just before it, renamed.
                int first = int.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture), last = int.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture);
                var length = last - first + 1;
                var slot = SameFor().Match(line);
                Assert.True(slot.Success, $"docs/fit-fields.md: range row without 'the same for sensor N': {line}");
                foreach (var f in fields.Where(f => f.Message == mesg && f.Number >= first - length && f.Number < first).ToList())
                    fields.Add(f with { Number = (byte)(f.Number + length), Name = f.Name[..^1] + slot.Groups[1].Value });
                continue;
            }
            var type = Cell("type") switch
            {
                "float32" => FitBaseType.Float32,
                "uint8" => FitBaseType.UInt8,
                "uint16" => FitBaseType.UInt16,
                var t => throw new InvalidOperationException($"docs/fit-fields.md: unknown type {t} in {line}"),
            };
            var scale = Cell("scale");
            fields.Add(new DocField(mesg, byte.Parse(cells[0], CultureInfo.InvariantCulture), Cell("name"), type, Cell("units"),
                scale.Length == 0 ? 1 : double.Parse(scale, CultureInfo.InvariantCulture)));
        }
        return fields;
    }

    [Fact]
    public void EveryFieldOfTheDocumentTablesIsInTheContractWithItsMessageTypeUnitsAndScale()
    {
        var doc = DocFields();
        Assert.True(doc.Count > 40, $"docs/fit-fields.md tables: only {doc.Count} fields read");
        var contract = DataFieldContract.Fields.Select(f => new DocField(f.Message, f.Number, f.Name, f.BaseType, f.Units, f.Scale)).ToList();
        string Show(IEnumerable<DocField> fs) => string.Join("; ", fs);
        Assert.False(doc.Except(contract).Any(), "in docs/fit-fields.md, not in DataFieldContract: " + Show(doc.Except(contract)));
        Assert.False(contract.Except(doc).Any(), "in DataFieldContract, not in docs/fit-fields.md: " + Show(contract.Except(doc)));
        Assert.Equal(doc.Count, doc.Distinct().Count());
    }

    [Fact]
    public void TheContractsFieldsAreWhatItsSlotFunctionsSay()
    {
        var byName = DataFieldContract.Fields.ToDictionary(f => f.Name);
        for (var slot = 1; slot <= DataFieldContract.Slots; slot++)
        {
            var smo2 = byName[DataFieldContract.SmO2Name(slot)];
            var thb = byName[DataFieldContract.THbName(slot)];
            Assert.Equal((FitProfile.Record, DataFieldContract.SmO2Field(slot), DataFieldContract.RecordBaseType(slot), DataFieldContract.SmO2Scale(slot)),
                (smo2.Message, smo2.Number, smo2.BaseType, smo2.Scale));
            Assert.Equal((FitProfile.Record, DataFieldContract.THbField(slot), DataFieldContract.RecordBaseType(slot), DataFieldContract.THbScale(slot)),
                (thb.Message, thb.Number, thb.BaseType, thb.Scale));
            var muscle = byName[DataFieldContract.MuscleName(slot)];
            var side = byName[DataFieldContract.SideName(slot)];
            Assert.Equal((DataFieldContract.IdentityMessage(slot), DataFieldContract.MuscleField(slot)), (muscle.Message, muscle.Number));
            Assert.Equal((DataFieldContract.IdentityMessage(slot), DataFieldContract.SideField(slot)), (side.Message, side.Number));
            if (DataFieldContract.IsFullSlot(slot))
            {
                Assert.Equal((FitProfile.Session, DataFieldContract.DeviceField(slot)), (byName[DataFieldContract.DeviceName(slot)].Message, byName[DataFieldContract.DeviceName(slot)].Number));
                Assert.Equal((FitProfile.Lap, DataFieldContract.DeviceHighField(slot)), (byName[DataFieldContract.DeviceHighName(slot)].Message, byName[DataFieldContract.DeviceHighName(slot)].Number));
                for (var k = 0; k < DataFieldContract.StatisticNames.Count; k++)
                {
                    Assert.Equal(DataFieldContract.LapStatisticField(slot, k), byName[$"lap_{DataFieldContract.StatisticNames[k]}_{slot}"].Number);
                    Assert.Equal(DataFieldContract.SessionStatisticField(slot, k), byName[$"ses_{DataFieldContract.StatisticNames[k]}_{slot}"].Number);
                }
            }
            else
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => DataFieldContract.DeviceField(slot));
                Assert.Throws<ArgumentOutOfRangeException>(() => DataFieldContract.LapStatisticField(slot, 0));
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => DataFieldContract.SmO2Field(DataFieldContract.Slots + 1));
        Assert.Equal([60, 61, 62, 63, 64], new[]
        {
            DataFieldContract.AssessmentSiteField, DataFieldContract.AssessmentMuscleField, DataFieldContract.AssessmentSideField,
            DataFieldContract.AssessmentSmO2Field, DataFieldContract.AssessmentTHbField,
        }.Select(b => (int)b));
        Assert.Equal(["asmt_site", "asmt_muscle", "asmt_side", "asmt_sat", "asmt_hb"],
            DataFieldContract.Fields.Where(f => f.Slot == 0).Select(f => f.Name));
        // The assessment values are not channels: no record field outside slots 1-4 is named or numbered like one.
        Assert.All(DataFieldContract.Fields.Where(f => f.Slot == 0), f => Assert.Null(DataFieldContract.SlotOfRecordField(f.Name, f.Number)));
    }

    [Fact]
    public void EveryMessageStaysWithinTheDeveloperDataBudgetTheDocumentStates()
    {
        foreach (var (message, name) in new[] { (FitProfile.Record, "record"), (FitProfile.Lap, "lap"), (FitProfile.Session, "session") })
        {
            var row = Regex.Match(Doc, $@"^\| {name} \|.*\| (\d+) of (\d+) \|$", RegexOptions.Multiline);
            Assert.True(row.Success, $"docs/fit-fields.md: no byte budget row for {name}");
            Assert.Equal(int.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture), DataFieldContract.BytesPerMessage(message));
            Assert.Equal(DataFieldContract.BudgetBytes, int.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.True(DataFieldContract.BytesPerMessage(message) <= DataFieldContract.BudgetBytes, name);
        }
    }

    [Fact]
    public void FullDeviceNumberAddsBits16To19FromDeviceHigh()
    {
        Assert.Contains("`device_N + 65536 x device_hi_N`", Doc, StringComparison.Ordinal);
        Assert.Equal(665u, DataFieldContract.FullDeviceNumber(665, null));
        Assert.Equal(665u, DataFieldContract.FullDeviceNumber(665, 0));
        Assert.Equal(66201u, DataFieldContract.FullDeviceNumber(665, 1));
        Assert.Equal(0xFFFFFu, DataFieldContract.FullDeviceNumber(0xFFFF, 15));
    }

    [Fact]
    public void MuscleCodesAreTheDocumentsCodes()
    {
        var codes = MuscleRow().Matches(Doc).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            m => Letters(m.Groups[2].Value));
        Assert.Equal(Enum.GetValues<Muscle>().Select(m => (int)m).Order(), codes.Keys.Order());
        foreach (var muscle in Enum.GetValues<Muscle>())
            Assert.StartsWith(Letters(muscle.ToString()), codes[(int)muscle], StringComparison.Ordinal);
        Assert.Equal(DataFieldContract.MaxMuscleCode, codes.Keys.Max());
    }

    [Fact]
    public void SideCodesAreTheDocumentsCodes()
    {
        var line = SideLine().Match(Doc);
        Assert.True(line.Success, "docs/fit-fields.md has no Side line");
        var codes = SideCode().Matches(line.Value).ToDictionary(m => Letters(m.Groups[2].Value), m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        foreach (var side in Enum.GetValues<Side>()) Assert.Equal(codes[Letters(side.ToString())], (int)side);
        Assert.Equal(DataFieldContract.MaxSideCode, codes.Values.Max());
    }

    private static string Letters(string text) => new(text.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NirsSync.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NirsSync.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"manifest id `([0-9a-f-]{36})`")]
    private static partial Regex AppId();

    [GeneratedRegex(@"\(`((?:[0-9a-f]{2} ){15}[0-9a-f]{2})`\)")]
    private static partial Regex AppBytes();

    [GeneratedRegex(@"^\| (\d+) \| ([a-z0-9_]+) \| (?:float32|uint8|uint16)", RegexOptions.Multiline)]
    private static partial Regex FieldRow();

    [GeneratedRegex(@"^\| (\d+) \| ([a-z ,/]+?) \|$", RegexOptions.Multiline)]
    private static partial Regex MuscleRow();

    [GeneratedRegex(@"^(\d+)-(\d+)$")]
    private static partial Regex FieldRange();

    [GeneratedRegex(@"the same for sensor (\d)")]
    private static partial Regex SameFor();

    [GeneratedRegex(@"^Side \(`side_N`.*$", RegexOptions.Multiline)]
    private static partial Regex SideLine();

    [GeneratedRegex(@"(\d) ([a-z]+)")]
    private static partial Regex SideCode();
}
