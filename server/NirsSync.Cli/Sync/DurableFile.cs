using System.Runtime.InteropServices;

namespace NirsSync.Cli.Sync;

/// <summary>
/// Writes that survive a crash or power loss: temporary file, flushed to disk, renamed over the target, and the
/// folder itself flushed (on Unix a rename lives in the folder's entry, which is only durable once the folder
/// is fsynced).
/// </summary>
internal static class DurableFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    public static void WriteText(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Moves <paramref name="source"/> to <paramref name="target"/> and flushes both folders.</summary>
    public static void Move(string source, string target)
    {
        File.Move(source, target, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(source))!);
    }

    /// <summary>Deletes <paramref name="paths"/> and flushes their folder, so a crash cannot bring them back.</summary>
    public static void Delete(params string[] paths)
    {
        foreach (var p in paths) File.Delete(p);
        foreach (var dir in paths.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!).Distinct()) SyncDirectory(dir);
    }

    /// <summary>Removes temporary files left by a crash between write and rename.</summary>
    public static void RemoveLeftovers(string directory)
    {
        foreach (var temp in Directory.EnumerateFiles(directory, "*.tmp-*"))
        {
            try { File.Delete(temp); }
            catch (IOException) { }
        }
    }

    /// <summary>Number of folder flushes done (for tests: each rename is followed by one).</summary>
    internal static long DirectorySyncs;

    /// <summary>
    /// fsync(2) on the folder (Linux, macOS). Windows has no such call for folders (NTFS journals its metadata),
    /// so there it does nothing.
    /// </summary>
    internal static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
            throw new IOException($"cannot open the folder {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"cannot flush the folder {directory} to disk (errno {Marshal.GetLastPInvokeError()})");
            Interlocked.Increment(ref DirectorySyncs);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the generated stubs need unsafe code, which this project does not allow.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
#pragma warning restore SYSLIB1054
}
