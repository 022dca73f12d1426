namespace NirsSync.Cli.Sync;

/// <summary>A file the scanner found complete: its bytes and their SHA-256.</summary>
public sealed record ReadyFile(string Path, byte[] Bytes, string Sha256);

/// <summary>
/// Polls folders for *.fit files (and *.csv / *.xlsx, which are queued only when their content is a sensor export) and reports each one once it is complete: its size and modification
/// time unchanged for the settle time, readable, and a FIT file whose CRCs are sound. A file that is
/// still incomplete is looked at again when it changes. Polling (not file-system events) because USB
/// mass storage and network folders do not deliver events reliably.
/// </summary>
public sealed class FolderScanner(Func<IEnumerable<string>> folders, bool recursive, TimeSpan settle, TimeProvider clock,
    long maxBytes = SyncSettings.DefaultMaxUploadBytes)
{
    private sealed record Seen(long Length, DateTime Modified, DateTimeOffset Since, bool Done);

    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);

    /// <summary>Files not yet reported that are complete now; <paramref name="notice"/> hears about files set aside.</summary>
    public List<ReadyFile> Scan(Action<string>? notice = null)
    {
        var ready = new List<ReadyFile>();
        var now = clock.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Files())
        {
            present.Add(path);
            FileInfo info;
            try
            {
                info = new FileInfo(path);
                if (!info.Exists) continue;
            }
            catch (IOException) { continue; }
            var stamp = (info.Length, info.LastWriteTimeUtc);
            if (!_seen.TryGetValue(path, out var seen) || (seen.Length, seen.Modified) != stamp)
            {
                _seen[path] = new Seen(info.Length, info.LastWriteTimeUtc, now, false);
                continue;
            }
            if (seen.Done || now - seen.Since < settle) continue;
            if (info.Length > maxBytes)
            {
                // Never read whole: the server would refuse it anyway.
                _seen[path] = seen with { Done = true };
                notice?.Invoke($"not uploading {path}: {SyncAgent.Size(info.Length)} is larger than the upload limit of " +
                    $"{SyncAgent.Size(maxBytes)} (--max-upload-mb); it is checked again when it changes");
                continue;
            }
            var bytes = TryRead(path, info.Length);
            if (bytes is null) continue;
            _seen[path] = seen with { Done = true };
            if (RideFileCheck.Problem(bytes) is { } problem)
            {
                notice?.Invoke($"not uploading {path} yet: {problem}; it is checked again when it changes");
                continue;
            }
            ready.Add(new ReadyFile(path, bytes, RideFileCheck.Sha256(bytes)));
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList()) _seen.Remove(gone);
        return ready;
    }

    /// <summary>Names worth reading; what is uploaded is decided by content (<see cref="RideFileCheck"/>).</summary>
    private static readonly string[] CandidatePatterns = ["*.fit", "*.csv", "*.xlsx"];

    private IEnumerable<string> Files()
    {
        var option = new EnumerationOptions
        {
            MatchCasing = MatchCasing.CaseInsensitive, RecurseSubdirectories = recursive, IgnoreInaccessible = true,
        };
        foreach (var folder in folders().Distinct())
        {
            if (!Directory.Exists(folder)) continue;
            IEnumerable<string> files;
            try { files = CandidatePatterns.SelectMany(p => Directory.EnumerateFiles(folder, p, option)).ToList(); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            foreach (var f in files) yield return f;
        }
    }

    /// <summary>The file's bytes when it can be read whole now; null while a writer holds it or it changed under us.</summary>
    private static byte[]? TryRead(string path, long expected)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length != expected) return null;
            var bytes = new byte[expected];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
