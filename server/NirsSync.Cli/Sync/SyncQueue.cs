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
/// leaves either the old or the new record. The same bytes under any path are one ride.
/// </summary>
public sealed class SyncQueue
{
    private readonly string _queue, _done, _rejected;
    private readonly Lock _lock = new();

    public SyncQueue(string stateDirectory)
    {
        StateDirectory = stateDirectory;
        _queue = Directory.CreateDirectory(Path.Combine(stateDirectory, "queue")).FullName;
        _done = Directory.CreateDirectory(Path.Combine(stateDirectory, "done")).FullName;
        _rejected = Directory.CreateDirectory(Path.Combine(stateDirectory, "rejected")).FullName;
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

    /// <summary>Every waiting ride, oldest first.</summary>
    public IReadOnlyList<QueuedRide> Pending()
    {
        lock (_lock)
            return [.. Directory.EnumerateFiles(_queue, "*.json").Select(Load<QueuedRide>).OfType<QueuedRide>()
                .OrderBy(r => r.QueuedAt)];
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

    public UploadedRide? FindUploaded(string sha) => Load<UploadedRide>(Record(_done, sha));

    private void Remove(string sha)
    {
        File.Delete(Record(_queue, sha));
        File.Delete(Path.Combine(_queue, sha + ".fit"));
    }

    private static string Record(string dir, string sha) => Path.Combine(dir, sha + ".json");

    private static void Save<T>(string dir, string sha, T record) =>
        DurableFile.Write(Record(dir, sha), JsonSerializer.SerializeToUtf8Bytes(record, SyncJson.Options));

    private static T? Load<T>(string path) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), SyncJson.Options);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new IOException($"the queue record {path} is damaged ({e.Message}); delete it to drop that ride", e);
        }
    }
}
