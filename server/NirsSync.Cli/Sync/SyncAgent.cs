namespace NirsSync.Cli.Sync;

/// <summary>What one pass over the queue did.</summary>
public sealed record DrainResult(int Uploaded, int Refused, int Waiting);

/// <summary>
/// Watches the folders, queues every complete ride once and uploads the queue. While the server cannot
/// be reached the agent waits a doubling time (with jitter, up to <see cref="SyncSettings.RetryMax"/>)
/// before it tries again; the queue keeps every ride meanwhile, across restarts. A ride that fails on its
/// own (the server answers, but not for this ride) waits its own doubling time and the others go on.
/// </summary>
public sealed class SyncAgent(SyncSettings settings, SyncQueue queue, SyncUploader uploader, TextWriter output,
    TimeProvider clock)
{
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private int _failures;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var scanner = new FolderScanner(Folders, settings.Recursive, settings.Settle, clock, settings.MaxUploadBytes);
        var pending = queue.Pending().Count;
        await Say($"nirssync agent: uploading to {settings.Server} ; queue in {queue.StateDirectory} ({pending} waiting)");
        await Say("watching: " + (WatchDescription() is { Length: > 0 } w ? w : "nothing yet (no folder given, no Garmin device found)"));
        var lastFolders = string.Join(Path.PathSeparator, Folders());
        while (!cancellationToken.IsCancellationRequested)
        {
            var folders = string.Join(Path.PathSeparator, Folders());
            if (folders != lastFolders)
            {
                await Say("watching: " + (folders.Length > 0 ? folders : "nothing (device removed)"));
                lastFolders = folders;
            }
            foreach (var file in scanner.Scan(m => output.WriteLine(Stamp(m))))
                await Say(Describe(file, queue.Enqueue(file.Sha256, file.Bytes, file.Path, clock.GetUtcNow())));
            await DrainAsync(force: false, cancellationToken);
            try
            {
                await Task.Delay(settings.PollInterval, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Say($"nirssync agent: stopped; {queue.Pending().Count} ride(s) wait in the queue");
    }

    /// <summary>
    /// Uploads every due ride (every ride with <paramref name="force"/>). A server-wide "try later" (unreachable,
    /// busy, token refused) stops the pass and pauses the agent; a ride's own failure only delays that ride.
    /// </summary>
    public async Task<DrainResult> DrainAsync(bool force, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!force && now < _pausedUntil) return new DrainResult(0, 0, queue.Pending().Count);
        var due = queue.Pending().Where(r => force || r.NextAttemptAt <= now).ToList();
        int uploaded = 0, refused = 0;
        for (var i = 0; i < due.Count && !cancellationToken.IsCancellationRequested; i++)
        {
            var ride = due[i];
            var name = Path.GetFileName(ride.Source);
            if (ride.Size > settings.MaxUploadBytes)
            {
                var why = $"{Size(ride.Size)} is larger than the upload limit of {Size(settings.MaxUploadBytes)}";
                queue.MarkRejected(ride, 413, why + " (refused here, not sent)", clock.GetUtcNow());
                refused++;
                await Say($"[{i + 1}/{due.Count}] {name}: not sent: {why}");
                continue;
            }
            byte[] bytes;
            try { bytes = queue.Bytes(ride); }
            catch (FileNotFoundException) { continue; } // another nirssync process finished it
            if (Sync.RideFileCheck.Sha256(bytes) != ride.Sha256)
            {
                queue.Quarantine(ride.Sha256, $"the queued copy of {ride.Source} ({bytes.Length} bytes) no longer has the ride's SHA-256");
                await Say($"[{i + 1}/{due.Count}] {name}: the queued copy is damaged; set aside in quarantine (upload the file again)");
                continue;
            }
            await Say($"[{i + 1}/{due.Count}] uploading {name} ({Size(ride.Size)})");
            UploadOutcome outcome;
            try
            {
                outcome = await uploader.UploadAsync(bytes, name, cancellationToken, ride.Start);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            switch (outcome)
            {
                case UploadOutcome.Stored s:
                    queue.MarkUploaded(ride, s.UploadId, s.HttpStatus, clock.GetUtcNow());
                    _failures = 0;
                    uploaded++;
                    await Say($"[{i + 1}/{due.Count}] {name}: {(s.HttpStatus == 202 ? "accepted" : "already on the server")} as upload {s.UploadId}");
                    break;
                case UploadOutcome.Refused r:
                    queue.MarkRejected(ride, r.HttpStatus, r.Reason, clock.GetUtcNow());
                    refused++;
                    await Say($"[{i + 1}/{due.Count}] {name}: refused by the server ({r.HttpStatus}): {r.Reason}");
                    break;
                case UploadOutcome.TryLater { ServerWide: false } t:
                    var own = Backoff(ride.Attempts + 1);
                    queue.Retry(ride, t.Reason, clock.GetUtcNow() + own);
                    await Say($"[{i + 1}/{due.Count}] {name}: {t.Reason}; this ride is tried again in {own.TotalSeconds:0.#} s, the others go on");
                    break;
                case UploadOutcome.TryLater t:
                    var wait = Backoff(++_failures);
                    _pausedUntil = clock.GetUtcNow() + wait;
                    queue.Retry(ride, t.Reason, _pausedUntil);
                    var waiting = queue.Pending().Count;
                    await Say($"{t.Reason}; {waiting} ride(s) wait in the queue; next try in {wait.TotalSeconds:0.#} s");
                    return new DrainResult(uploaded, refused, waiting);
            }
        }
        return new DrainResult(uploaded, refused, queue.Pending().Count);
    }

    private TimeSpan Backoff(int failures)
    {
        var seconds = settings.RetryBase.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 20));
        seconds = Math.Min(seconds, settings.RetryMax.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    private IEnumerable<string> Folders()
    {
        foreach (var folder in settings.WatchFolders) yield return GarminMounts.ActivityFolderBelow(folder) ?? folder;
        if (settings.FindGarminDevices)
            foreach (var device in GarminMounts.Find()) yield return device;
    }

    private string WatchDescription() => string.Join(Path.PathSeparator, Folders());

    private static string Describe(ReadyFile file, EnqueueOutcome outcome) => outcome switch
    {
        EnqueueOutcome.Queued => $"new ride {file.Path} ({Size(file.Bytes.Length)}) queued",
        EnqueueOutcome.AlreadyQueued => $"{file.Path} is already queued (same bytes as a queued ride)",
        EnqueueOutcome.AlreadyUploaded => $"{file.Path} was uploaded before (same bytes); skipped",
        _ => $"{file.Path} was refused by the server before (same bytes); skipped",
    };

    internal static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes / 1048576.0:0.0} MB" : $"{bytes / 1024.0:0} KB";

    private Task Say(string line) => output.WriteLineAsync(Stamp(line));

    private string Stamp(string line) => $"{clock.GetLocalNow():yyyy-MM-dd HH:mm:ss} {line}";
}
