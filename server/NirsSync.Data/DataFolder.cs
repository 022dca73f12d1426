namespace NirsSync.Data;

/// <summary>
/// The data folder (database, data-protection key ring) is readable by the server's own user only: on Unix the
/// folders are created 0700 and the database file 0600 (SQLite gives its -wal and -shm files the database
/// file's mode). Folders and files that exist already are tightened to the same modes at every start.
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

    /// <summary>Creates the empty database file owner-only before SQLite opens it, or tightens an existing one.</summary>
    public static void EnsureDatabaseFile(string databasePath)
    {
        EnsureFolder(Path.GetDirectoryName(databasePath)!);
        if (OperatingSystem.IsWindows()) return;
        foreach (var path in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            if (File.Exists(path))
            {
                if ((File.GetUnixFileMode(path) & ~OwnerFileMode) != 0) File.SetUnixFileMode(path, OwnerFileMode);
            }
            else if (path == databasePath)
            {
                using var _ = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerFileMode,
                });
            }
        }
    }
}
