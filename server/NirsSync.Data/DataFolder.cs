namespace NirsSync.Data;

/// <summary>
/// The data folder (database, data-protection key ring) is readable by the server's own user only: on Unix the
/// folders are created 0700 and the database file is set to 0600 when the migrations have opened it (SQLite gives
/// its -wal and -shm files the database file's mode). Folders and files that exist already are tightened to the same modes at every start.
/// </summary>
public static class DataFolder
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and missing parents) owner-only, or tightens it when it exists.</summary>
    public static DirectoryInfo EnsureFolder(string path)
    {
        if (OperatingSystem.IsWindows()) return Directory.CreateDirectory(path);
        var info = Directory.CreateDirectory(path, FolderMode);
        if ((info.UnixFileMode & ~FolderMode) != 0) File.SetUnixFileMode(path, FolderMode);
        return info;
    }

    /// <summary>
    /// Narrows the database file (and its -wal and -shm files) to owner-only. Called right after the migrations
    /// open it; the folder is owner-only before SQLite creates anything, so nobody else can reach the file even
    /// in between. SQLite gives new -wal and -shm files the database file's mode.
    /// </summary>
    public static void TightenDatabaseFiles(string databasePath)
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var path in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
            if (File.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerFileMode) != 0)
                File.SetUnixFileMode(path, OwnerFileMode);
    }
}
