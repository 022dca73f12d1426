using NirsSync.Cli.Sync;

namespace NirsSync.Cli.Tests;

/// <summary>The sync agent and upload take sensor exports, judged by content, beside FIT files.</summary>
public class SyncExportFileTests
{
    private static string Sample(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NirsSync.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "sensor-exports", name));
    }

    [Fact]
    public void Ride_file_check_accepts_whole_exports_and_refuses_cut_ones()
    {
        Assert.Null(RideFileCheck.Problem(File.ReadAllBytes(Sample("moxy_ramp.xlsx"))));
        var csv = File.ReadAllBytes(Sample("train.red_intervals.csv"));
        Assert.Null(RideFileCheck.Problem(csv));
        var cut = RideFileCheck.Problem(csv[..(csv.Length - 20)]);
        Assert.NotNull(cut);
        Assert.StartsWith("incomplete or damaged sensor export", cut);
        Assert.Contains("line 12036", cut);
        Assert.StartsWith("not a FIT file", RideFileCheck.Problem("a,b\n1,2\n"u8.ToArray()));
    }

    [Fact]
    public void Folder_scanner_reports_an_export_csv_and_sets_aside_other_csv_files()
    {
        var dir = Directory.CreateTempSubdirectory("nirssync-scan-");
        try
        {
            File.Copy(Sample("moxy_intervals.csv"), Path.Combine(dir.FullName, "session.csv"));
            File.Copy(Sample("moxy_ramp.xlsx"), Path.Combine(dir.FullName, "ramp.xlsx"));
            File.WriteAllText(Path.Combine(dir.FullName, "shopping.csv"), "item,count\nbread,1\n");
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "mm-dd,hh:mm:ss,SmO2 Live\n06-Feb,10:00:00,50\n");
            using (var big = File.Create(Path.Combine(dir.FullName, "huge.csv")))
                big.SetLength(NirsSync.SensorExports.SensorExportOptions.Default.MaxBytes + 1); // sparse: not read
            var scanner = new FolderScanner(() => [dir.FullName], false, TimeSpan.Zero, TimeProvider.System);
            Assert.Empty(scanner.Scan()); // first sight: waits for the file to settle
            var notices = new List<string>();
            var ready = scanner.Scan(notices.Add);
            Assert.Equal(["ramp.xlsx", "session.csv"], ready.Select(r => Path.GetFileName(r.Path)).Order());
            Assert.Equal(2, notices.Count);
            Assert.Contains(notices, n => n.Contains("shopping.csv") && n.Contains("nor a sensor export"));
            Assert.Contains(notices, n => n.Contains("huge.csv") && n.Contains("larger than the upload limit"));
        }
        finally { dir.Delete(true); }
    }
}
