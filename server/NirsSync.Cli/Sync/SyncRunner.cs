namespace NirsSync.Cli.Sync;

/// <summary>Runs the sync commands; returns their exit codes.</summary>
internal static class SyncRunner
{
    /// <summary>Exit code of <c>upload</c> when some rides could not be sent yet and stay queued.</summary>
    public const int StillQueued = 2;

    public static async Task<int> AgentAsync(SyncFlags flags, Func<string, string?> environment, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        if (Settings(flags, environment, error) is not { } settings) return 1;
        if (settings.WatchFolders.Count == 0 && !settings.FindGarminDevices)
        {
            await error.WriteLineAsync("nirssync: nothing to watch: pass --watch FOLDER (repeatable) and/or --garmin-devices");
            return 1;
        }
        var queue = new SyncQueue(settings.StateDirectory);
        using var uploader = new SyncUploader(settings.Server, settings.Token, settings.RequestTimeout);
        await new SyncAgent(settings, queue, uploader, output, TimeProvider.System).RunAsync(cancellationToken);
        return 0;
    }

    public static async Task<int> UploadAsync(SyncFlags flags, IReadOnlyList<FileInfo> files,
        Func<string, string?> environment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Settings(flags, environment, error) is not { } settings) return 1;
        var queue = new SyncQueue(settings.StateDirectory);
        var clock = TimeProvider.System;
        var bad = 0;
        var named = new List<string>();
        foreach (var file in files)
        {
            byte[] bytes;
            try { bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken); }
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
            named.Add(sha);
            var outcome = queue.Enqueue(sha, bytes, file.FullName, clock.GetUtcNow());
            if (outcome == EnqueueOutcome.AlreadyUploaded && queue.FindUploaded(sha) is { } done)
                await output.WriteLineAsync($"{file.Name}: uploaded before as upload {done.UploadId}");
        }
        using var uploader = new SyncUploader(settings.Server, settings.Token, settings.RequestTimeout);
        var agent = new SyncAgent(settings, queue, uploader, output, clock);
        await agent.DrainAsync(force: true, cancellationToken);
        var rejected = queue.Rejected().Select(r => r.Sha256).ToHashSet();
        var waiting = queue.Pending().Select(r => r.Sha256).ToHashSet();
        bad += named.Count(rejected.Contains);
        var queued = named.Count(waiting.Contains);
        if (bad > 0) return 1;
        if (queued == 0) return 0;
        await error.WriteLineAsync($"nirssync: {queued} ride(s) could not be sent now and stay queued in " +
            $"{settings.StateDirectory}; 'nirssync agent' or the next 'nirssync upload' sends them");
        return StillQueued;
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
