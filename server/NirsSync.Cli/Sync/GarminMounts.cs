namespace NirsSync.Cli.Sync;

/// <summary>
/// Finds the activity folders of Garmin units mounted as USB mass storage: GARMIN/Activity (or
/// GARMIN/ACTIVITY) at the root of a volume under /media/USER, /run/media/USER, /media and /mnt on Linux,
/// /Volumes on macOS, and every drive letter on Windows; also resolves such a folder below a given root.
/// </summary>
internal static class GarminMounts
{
    private static readonly string[] ActivityFolders = ["GARMIN/Activity", "GARMIN/ACTIVITY", "Garmin/Activity"];

    public static IEnumerable<string> Find()
    {
        foreach (var volume in Volumes())
            if (ActivityFolderBelow(volume) is { } folder) yield return folder;
    }

    /// <summary>The activity folder of a device root, or null when <paramref name="root"/> is not one.</summary>
    public static string? ActivityFolderBelow(string root)
    {
        foreach (var relative in ActivityFolders)
        {
            var candidate = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static IEnumerable<string> Volumes()
    {
        if (OperatingSystem.IsWindows())
            return DriveInfo.GetDrives().Where(d => d.IsReady).Select(d => d.RootDirectory.FullName);
        var user = Environment.UserName;
        string[] parents = OperatingSystem.IsMacOS() ? ["/Volumes"] : [$"/media/{user}", $"/run/media/{user}", "/media", "/mnt"];
        return parents.Where(Directory.Exists).SelectMany(p =>
        {
            try { return Directory.EnumerateDirectories(p); }
            catch (UnauthorizedAccessException) { return []; }
        });
    }
}
