using System.Globalization;
using System.Text.RegularExpressions;
using NirsSync.Analysis;

namespace NirsSync.Analysis.Tests;

/// <summary>
/// docs/fit-fields.md is the data field's FIT contract; the C# definition (DataFieldContract, Muscle, Side) must say
/// the same: application id, record and session field numbers and names, muscle and side codes.
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
            Assert.Equal(rows[DataFieldContract.DeviceName(slot)], DataFieldContract.DeviceField(slot));
        }
        Assert.Equal(DataFieldContract.FirstLapField, rows["lap_smo2_avg_1"]);
        Assert.Equal(DataFieldContract.FirstSessionStatisticField, rows["ses_smo2_avg_1"]);
        Assert.Equal(1, DataFieldContract.SlotOfRecordField("smo2_1", rows["smo2_1"]));
        Assert.Equal(2, DataFieldContract.SlotOfRecordField("thb_2", rows["thb_2"]));
        Assert.Null(DataFieldContract.SlotOfRecordField("smo2_1", rows["smo2_2"]));
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

    [GeneratedRegex(@"^Side \(`side_N`.*$", RegexOptions.Multiline)]
    private static partial Regex SideLine();

    [GeneratedRegex(@"(\d) ([a-z]+)")]
    private static partial Regex SideCode();
}
