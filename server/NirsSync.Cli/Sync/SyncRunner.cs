namespace NirsSync.Cli.Sync;

/// <summary>Runs the sync commands; returns their exit codes.</summary>
internal static class SyncRunner
{
    /// <summary>Exit code for a configuration that cannot work (no token, bad server address).</summary>
    public const int BadConfiguration = 2;

    /// <summary>Exit code of <c>upload</c> when some rides could not be sent yet and stay queued.</summary>
    public const int StillQueued = 3;

    /// <summary>Exit code of <c>upload</c> when every ride was sent but some were not processed within the wait timeout.</summary>
    public const int StillProcessing = 4;

    public static async Task<int> AgentAsync(SyncFlags flags, Func<string, string?> environment, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        if (Settings(flags, environment, error) is not { } settings) return BadConfiguration;
        if (settings.WatchFolders.Count == 0 && !settings.FindGarminDevices)
        {
            await error.WriteLineAsync("nirssync: nothing to watch: pass --watch FOLDER (repeatable) and/or --garmin-devices");
            return BadConfiguration;
        }
        var queue = new SyncQueue(settings.StateDirectory, m => output.WriteLine($"nirssync: {m}"));
        using var uploader = new SyncUploader(settings.Server, settings.Token, settings.RequestTimeout);
        await new SyncAgent(settings, queue, uploader, output, TimeProvider.System).RunAsync(cancellationToken);
        return 0;
    }

    /// <param name="start">The start of sensor exports that state no date (<c>--start</c>); the server ignores it for FIT files.</param>
    public static async Task<int> UploadAsync(SyncFlags flags, IReadOnlyList<FileInfo> files, bool wait,
        Func<string, string?> environment, TextWriter output, TextWriter error, CancellationToken cancellationToken,
        DateTimeOffset? start = null)
    {
        if (Settings(flags, environment, error) is not { } settings) return BadConfiguration;
        var queue = new SyncQueue(settings.StateDirectory, m => error.WriteLine($"nirssync: {m}"));
        var clock = TimeProvider.System;
        var bad = 0;
        var named = new List<(string Sha, string Name)>();
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                if (file.Exists && file.Length > settings.MaxUploadBytes)
                {
                    await error.WriteLineAsync($"nirssync: {file.FullName}: {SyncAgent.Size(file.Length)} is larger than the upload " +
                        $"limit of {SyncAgent.Size(settings.MaxUploadBytes)}; not sent (the server would refuse it; --max-upload-mb " +
                        "sets the limit to the server's NirsSync:MaxUploadBytes)");
                    bad++;
                    continue;
                }
                bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"nirssync: cannot read {file.FullName}: {e.Message}");
                bad++;
                continue;
            }
            if (RideFileCheck.Problem(bytes) is { } problem)
            {
                await error.WriteLineAsync($"nirssync: {file.FullName}: {problem}");
                bad++;
                continue;
            }
            var sha = RideFileCheck.Sha256(bytes);
            named.Add((sha, file.Name));
            var outcome = queue.Enqueue(sha, bytes, file.FullName, clock.GetUtcNow(), start);
            if (outcome == EnqueueOutcome.AlreadyUploaded && queue.FindUploaded(sha) is { } done)
                await output.WriteLineAsync($"{file.Name}: uploaded before as upload {done.UploadId}");
        }
        using var uploader = new SyncUploader(settings.Server, settings.Token, settings.RequestTimeout);
        var agent = new SyncAgent(settings, queue, uploader, output, clock);
        await agent.DrainAsync(force: true, cancellationToken);
        var rejected = queue.Rejected().Select(r => r.Sha256).ToHashSet();
        var waiting = queue.Pending().Select(r => r.Sha256).ToHashSet();
        bad += named.Count(n => rejected.Contains(n.Sha));
        var queued = named.Count(n => waiting.Contains(n.Sha));
        var unfinished = 0;
        if (wait)
        {
            using var http = Upload.UploadClient.Create(settings.Server, settings.Token, 1);
            (var failed, unfinished) = await WaitProcessedAsync(http, settings.WaitTimeout, queue, named, output, cancellationToken);
            bad += failed;
        }
        if (bad > 0) return 1;
        if (unfinished > 0)
        {
            await error.WriteLineAsync($"nirssync: {unfinished} upload(s) were sent but not processed within {settings.WaitTimeout.TotalSeconds:0} s " +
                "(--wait-timeout); the server goes on with them");
            return StillProcessing;
        }
        if (queued == 0) return 0;
        await error.WriteLineAsync($"nirssync: {queued} ride(s) could not be sent now and stay queued in " +
            $"{settings.StateDirectory}; 'nirssync agent' or the next 'nirssync upload' sends them");
        return StillQueued;
    }

    /// <summary>
    /// Waits until each sent ride is processed, at most <paramref name="timeout"/> in all, and prints its outcome;
    /// the number that failed and the number still not processed when the time ran out.
    /// </summary>
    internal static async Task<(int Failed, int Unfinished)> WaitProcessedAsync(HttpClient http, TimeSpan timeout, SyncQueue queue,
        IEnumerable<(string Sha, string Name)> named, TextWriter output, CancellationToken cancellationToken)
    {
        var failed = 0;
        var unfinished = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        foreach (var (sha, name) in named.DistinctBy(n => n.Sha))
        {
            if (queue.FindUploaded(sha) is not { } done) continue;
            Upload.UploadStatus status;
            try { status = await Upload.UploadClient.WaitAsync(http, done.UploadId, deadline.Token); }
            catch (HttpRequestException e)
            {
                await output.WriteLineAsync($"{name}: upload {done.UploadId} sent; its processing state is unknown ({e.Message})");
                continue;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await output.WriteLineAsync($"{name}: upload {done.UploadId} sent; still not processed after {timeout.TotalSeconds:0} s");
                unfinished++;
                continue;
            }
            await output.WriteLineAsync($"{name}: upload {status.Id} {status.Status}"
                + (status.RideId is { } ride ? $", ride {ride}" : "") + (status.Reason is { } reason ? $": {reason}" : "")
                + (status.Warning is { } w ? $" (warning: {w})" : ""));
            if (status.Status == "failed") failed++;
        }
        return (failed, unfinished);
    }

    private static SyncSettings? Settings(SyncFlags flags, Func<string, string?> environment, TextWriter error)
    {
        try
        {
            return SyncSettings.Resolve(flags, environment);
        }
        catch (SyncConfigException e)
        {
            error.WriteLine($"nirssync: {e.Message}");
            return null;
        }
    }
}
