namespace NirsSync.Cli.Sync;

/// <summary>Writes that survive a crash or power loss: temporary file, flushed to disk, renamed over the target.</summary>
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
    }

    public static void WriteText(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Removes temporary files left by a crash between write and rename.</summary>
    public static void RemoveLeftovers(string directory)
    {
        foreach (var temp in Directory.EnumerateFiles(directory, "*.tmp-*"))
        {
            try { File.Delete(temp); }
            catch (IOException) { }
        }
    }
}
