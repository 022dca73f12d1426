using System.Text.Json;

namespace NirsSync.Cli.Sync;

/// <summary>A ride waiting to be uploaded: its own copy of the bytes lives beside this record.</summary>
/// <param name="Start">The start given for a sensor export without a date (<c>upload --start</c>), sent as <c>?start=</c>; null otherwise.</param>
public sealed record QueuedRide(string Sha256, string Source, long Size, DateTimeOffset QueuedAt, int Attempts,
    DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset? Start = null);

/// <summary>A ride the server accepted (202) or already had (200), with the server's upload id.</summary>
public sealed record UploadedRide(string Sha256, string Source, long Size, Guid UploadId, int HttpStatus,
    DateTimeOffset UploadedAt);

/// <summary>A ride the server refused for good (413/415/422): retrying would not help.</summary>
public sealed record RejectedRide(string Sha256, string Source, int HttpStatus, string Reason, DateTimeOffset RejectedAt);

/// <summary>What <see cref="SyncQueue.Enqueue"/> did with a file.</summary>
public enum EnqueueOutcome
{
    Queued,
    AlreadyQueued,
    AlreadyUploaded,
    AlreadyRejected,
}

/// <summary>
/// The agent's durable queue: a folder per state under the state directory, one JSON record per ride
/// named by the SHA-256 of its bytes (queue/ also keeps a copy of the bytes, so a ride is uploaded even
/// after its device was unplugged). Every write is flushed to disk and renamed into place, so a crash
/// leaves either the old or the new record (and the folder is flushed after each rename). The same bytes under any
/// path are one ride. A record that cannot be read (empty, not JSON, not its ride) is moved to quarantine/ with a
/// .reason.txt beside it and reported through <c>notice</c>: it never stops the queue.
/// </summary>
public sealed class SyncQueue
{
    private readonly string _queue, _done, _rejected, _quarantine;
    private readonly Lock _lock = new();
    private readonly Action<string>? _notice;

    public SyncQueue(string stateDirectory, Action<string>? notice = null)
    {
        StateDirectory = stateDirectory;
        _notice = notice;
        _queue = Directory.CreateDirectory(Path.Combine(stateDirectory, "queue")).FullName;
        _done = Directory.CreateDirectory(Path.Combine(stateDirectory, "done")).FullName;
        _rejected = Directory.CreateDirectory(Path.Combine(stateDirectory, "rejected")).FullName;
        _quarantine = Path.Combine(stateDirectory, "quarantine");
        foreach (var dir in new[] { _queue, _done, _rejected }) DurableFile.RemoveLeftovers(dir);
        // A crash after the bytes were written but before their record leaves bytes without a record.
        foreach (var fit in Directory.EnumerateFiles(_queue, "*.fit"))
            if (!File.Exists(Path.ChangeExtension(fit, ".json"))) File.Delete(fit);
    }

    public string StateDirectory { get; }

    public EnqueueOutcome Enqueue(string sha, byte[] bytes, string source, DateTimeOffset now, DateTimeOffset? start = null)
    {
        lock (_lock)
        {
            if (File.Exists(Record(_done, sha))) return EnqueueOutcome.AlreadyUploaded;
            if (File.Exists(Record(_rejected, sha))) return EnqueueOutcome.AlreadyRejected;
            if (File.Exists(Record(_queue, sha))) return EnqueueOutcome.AlreadyQueued;
            DurableFile.Write(Path.Combine(_queue, sha + ".fit"), bytes);
            Save(_queue, sha, new QueuedRide(sha, source, bytes.Length, now, 0, now, null, start));
            return EnqueueOutcome.Queued;
        }
    }

    /// <summary>Every waiting ride, oldest first (a damaged record is quarantined, not returned).</summary>
    public IReadOnlyList<QueuedRide> Pending()
    {
        lock (_lock)
            return [.. Directory.EnumerateFiles(_queue, "*.json").Select(Load<QueuedRide>).OfType<QueuedRide>()
                .OrderBy(r => r.QueuedAt)];
    }

    /// <summary>The quarantined records' file names (queue/, done/ or rejected/ records that could not be read).</summary>
    public IReadOnlyList<string> Quarantined() =>
        Directory.Exists(_quarantine) ? [.. Directory.EnumerateFiles(_quarantine, "*.json").Select(Path.GetFileName).OfType<string>().Order()] : [];

    /// <summary>
    /// Moves the queued ride <paramref name="sha"/> (record and bytes) to quarantine/ with <paramref name="reason"/>:
    /// for a ride whose stored bytes no longer match it.
    /// </summary>
    public void Quarantine(string sha, string reason)
    {
        lock (_lock) QuarantineRecord(Record(_queue, sha), reason);
    }

    public byte[] Bytes(QueuedRide ride) => File.ReadAllBytes(Path.Combine(_queue, ride.Sha256 + ".fit"));

    public void Retry(QueuedRide ride, string error, DateTimeOffset nextAttempt)
    {
        lock (_lock)
            if (File.Exists(Record(_queue, ride.Sha256)))
                Save(_queue, ride.Sha256, ride with { Attempts = ride.Attempts + 1, NextAttemptAt = nextAttempt, LastError = error });
    }

    public void MarkUploaded(QueuedRide ride, Guid uploadId, int status, DateTimeOffset now)
    {
        lock (_lock)
        {
            Save(_done, ride.Sha256, new UploadedRide(ride.Sha256, ride.Source, ride.Size, uploadId, status, now));
            Remove(ride.Sha256);
        }
    }

    public void MarkRejected(QueuedRide ride, int status, string reason, DateTimeOffset now)
    {
        lock (_lock)
        {
            Save(_rejected, ride.Sha256, new RejectedRide(ride.Sha256, ride.Source, status, reason, now));
            Remove(ride.Sha256);
        }
    }

    public IReadOnlyList<UploadedRide> Uploaded()
    {
        lock (_lock) return [.. Directory.EnumerateFiles(_done, "*.json").Select(Load<UploadedRide>).OfType<UploadedRide>()];
    }

    public IReadOnlyList<RejectedRide> Rejected()
    {
        lock (_lock) return [.. Directory.EnumerateFiles(_rejected, "*.json").Select(Load<RejectedRide>).OfType<RejectedRide>()];
    }

    public UploadedRide? FindUploaded(string sha)
    {
        lock (_lock) return Load<UploadedRide>(Record(_done, sha));
    }

    private void Remove(string sha) => DurableFile.Delete(Record(_queue, sha), Path.Combine(_queue, sha + ".fit"));

    private static string Record(string dir, string sha) => Path.Combine(dir, sha + ".json");

    private static void Save<T>(string dir, string sha, T record) =>
        DurableFile.Write(Record(dir, sha), JsonSerializer.SerializeToUtf8Bytes(record, SyncJson.Options));

    /// <summary>The record at <paramref name="path"/>; null when absent, or damaged (then it is quarantined).</summary>
    private T? Load<T>(string path) where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        string? problem;
        T? record = null;
        try
        {
            record = bytes.Length == 0 ? null : JsonSerializer.Deserialize<T>(bytes, SyncJson.Options);
            var sha = record switch
            {
                QueuedRide q => q.Sha256,
                UploadedRide u => u.Sha256,
                RejectedRide r => r.Sha256,
                _ => null,
            };
            problem = bytes.Length == 0 ? "the record is empty"
                : record is null ? "the record is null"
                : sha != Path.GetFileNameWithoutExtension(path) ? $"the record names ride '{sha}', not the ride of its file name"
                : null;
        }
        catch (JsonException e)
        {
            problem = $"the record is not valid JSON ({e.Message})";
        }
        if (problem is null) return record;
        QuarantineRecord(path, problem);
        return null;
    }

    private void QuarantineRecord(string path, string reason)
    {
        if (!File.Exists(path)) return;
        Directory.CreateDirectory(_quarantine);
        var folder = Path.GetFileName(Path.GetDirectoryName(path))!;
        var name = Path.GetFileNameWithoutExtension(path);
        var target = Path.Combine(_quarantine, $"{folder}-{name}.json");
        DurableFile.Write(Path.Combine(_quarantine, $"{folder}-{name}.reason.txt"), System.Text.Encoding.UTF8.GetBytes(reason + "\n"));
        var bytes = Path.ChangeExtension(path, ".fit");
        if (File.Exists(bytes)) DurableFile.Move(bytes, Path.ChangeExtension(target, ".fit"));
        DurableFile.Move(path, target);
        _notice?.Invoke($"the {folder} record {Path.GetFileName(path)} was set aside in {target}: {reason}");
    }
}
