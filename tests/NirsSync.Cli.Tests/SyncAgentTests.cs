using NirsSync.Data;

namespace NirsSync.Cli.Tests;

/// <summary>The agent end to end against the real server on loopback: nothing lost, nothing twice.</summary>
public sealed class SyncAgentTests : IDisposable
{
    private readonly SyncWorld _world = new();

    [Fact]
    public async Task RidesThatAppearWhileTheServerIsDownAreUploadedOnceItIsBack()
    {
        var (athleteId, token) = await _world.Server.SeedAthleteAsync("Ann");
        var rides = Enumerable.Range(0, 3).Select(i => SyncWorld.Ride(seed: 100 + i)).ToArray();
        await using (var agent = new SyncAgentRun(_world.Settings(token), _world.Output))
        {
            for (var i = 0; i < rides.Length; i++) await File.WriteAllBytesAsync(Path.Combine(_world.Watch, $"ride{i}.fit"), rides[i]);
            await _world.Eventually(() => agent.Queue.Pending().Count == 3 && agent.Queue.Pending().Any(r => r.Attempts > 0),
                "three rides queued and an upload attempted while the server is down");
            Assert.Empty(agent.Queue.Uploaded());

            await _world.Server.StartAsync();
            await _world.Eventually(() => agent.Queue.Uploaded().Count == 3 && agent.Queue.Pending().Count == 0,
                "the queue drained once the server is back");
        }
        var expected = rides.Select(SyncWorld.Sha).Order().ToList();
        await _world.Eventually(async () => (await _world.Server.UploadsAsync(athleteId)).All(u => u.Status == UploadStatus.Processed),
            "every upload processed");
        var uploads = await _world.Server.UploadsAsync(athleteId);
        Assert.Equal(expected, uploads.Select(u => u.Sha256).Order().ToList());
        Assert.Contains("server unreachable", _world.LogText());
    }

    [Fact]
    public async Task SensorExportsInAWatchedFolderBecomeRidesOnTheServerBesideTheFitRides()
    {
        var (athleteId, token) = await _world.Server.SeedAthleteAsync("Ida");
        await _world.Server.StartAsync();
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "NirsSync.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var exports = Path.GetFullPath(Path.Combine(root.FullName, "..", "shared", "sensor-exports"));
        var files = new[] { "moxy_intervals.csv", "train.red_intervals.csv", "moxy_ramp.xlsx" };
        await using (var agent = new SyncAgentRun(_world.Settings(token), _world.Output))
        {
            foreach (var f in files) File.Copy(Path.Combine(exports, f), Path.Combine(_world.Watch, f));
            await File.WriteAllBytesAsync(Path.Combine(_world.Watch, "ride.fit"), SyncWorld.Ride(seed: 140));
            await _world.Eventually(() => agent.Queue.Uploaded().Count == 4 && agent.Queue.Pending().Count == 0,
                "the three exports and the FIT ride uploaded");
        }
        await _world.Eventually(async () => (await _world.Server.UploadsAsync(athleteId)).All(u => u.Status == UploadStatus.Processed),
            "every upload processed (the exports as rides of their own)");
        Assert.Equal(4, (await _world.Server.UploadsAsync(athleteId)).Count);
    }

    [Fact]
    public async Task ServerKilledMidQueueAndAgentRestartedLosesAndDuplicatesNothing()
    {
        var (athleteId, token) = await _world.Server.SeedAthleteAsync("Ben");
        var first = Enumerable.Range(0, 12).Select(i => SyncWorld.Ride(seed: 200 + i, minutes: 20)).ToArray();
        var later = Enumerable.Range(0, 3).Select(i => SyncWorld.Ride(seed: 300 + i)).ToArray();
        var settings = _world.Settings(token);
        await _world.Server.StartAsync();
        // The server dies (SIGKILL) right after acknowledging the fourth upload, in the middle of the queue.
        await using (var agent = new SyncAgentRun(settings, _world.Output, new AfterAnswers(4, _world.Server.Kill)))
        {
            for (var i = 0; i < first.Length; i++) await File.WriteAllBytesAsync(Path.Combine(_world.Watch, $"a{i:00}.fit"), first[i]);
            await _world.Eventually(() => agent.Queue.Uploaded().Count == 4 && agent.Queue.Pending().Count == first.Length - 4
                && agent.Queue.Pending().Any(r => r.Attempts > 0), "four uploads, then the server gone with the rest queued");
        }
        for (var i = 0; i < later.Length; i++) await File.WriteAllBytesAsync(Path.Combine(_world.Watch, $"b{i}.fit"), later[i]);

        await using (var agent = new SyncAgentRun(settings, _world.Output))
        {
            await _world.Eventually(() => agent.Queue.Pending().Any(r => r.Attempts > 0) && agent.Queue.Pending().Count +
                agent.Queue.Uploaded().Count == first.Length + later.Length, "every ride queued by the restarted agent");
            Assert.NotEqual(first.Length + later.Length, agent.Queue.Uploaded().Count);
            await _world.Server.StartAsync();
            await _world.Eventually(() => agent.Queue.Uploaded().Count == first.Length + later.Length
                && agent.Queue.Pending().Count == 0, "the queue drained after the server restart");
        }
        var expected = first.Concat(later).Select(SyncWorld.Sha).Order().ToList();
        await _world.Eventually(async () => (await _world.Server.UploadsAsync(athleteId)).All(u => u.Status == UploadStatus.Processed),
            "every upload processed");
        Assert.Equal(expected, (await _world.Server.UploadsAsync(athleteId)).Select(u => u.Sha256).Order().ToList());
    }

    [Fact]
    public async Task SlowlyWrittenRideIsUploadedOnlyWhenCompleteAndOnlyOnce()
    {
        var (athleteId, token) = await _world.Server.SeedAthleteAsync("Cid");
        var ride = SyncWorld.Ride(seed: 400, minutes: 40);
        var path = Path.Combine(_world.Watch, "slow.fit");
        await _world.Server.StartAsync();
        await using var agent = new SyncAgentRun(_world.Settings(token), _world.Output);
        await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            var chunk = ride.Length / 8 + 1;
            for (var offset = 0; offset < ride.Length; offset += chunk)
            {
                await stream.WriteAsync(ride.AsMemory(offset, Math.Min(chunk, ride.Length - offset)));
                await stream.FlushAsync();
                if (offset == 3 * chunk)
                    // Half a file that stays unchanged past the settle time: the agent must read it and set it aside.
                    await _world.Eventually(() => _world.LogText().Contains($"not uploading {path} yet"),
                        "the agent inspecting the half-written file");
                else await Task.Delay(600);
            }
        }
        await _world.Eventually(() => agent.Queue.Uploaded().Count == 1, "the complete ride uploaded");
        Assert.Equal(SyncWorld.Sha(ride), agent.Queue.Uploaded().Single().Sha256);
        Assert.Equal([SyncWorld.Sha(ride)], (await _world.Server.UploadsAsync(athleteId)).Select(u => u.Sha256).ToList());
        Assert.Empty(agent.Queue.Rejected());
    }

    [Fact]
    public async Task SameRideCopiedTwiceIsUploadedOnce()
    {
        var (athleteId, token) = await _world.Server.SeedAthleteAsync("Dee");
        var ride = SyncWorld.Ride(seed: 500);
        var other = Directory.CreateDirectory(Path.Combine(_world.Root, "Express")).FullName;
        await _world.Server.StartAsync();
        await using var agent = new SyncAgentRun(_world.Settings(token, _world.Watch, other), _world.Output);
        await File.WriteAllBytesAsync(Path.Combine(_world.Watch, "ride.fit"), ride);
        await File.WriteAllBytesAsync(Path.Combine(other, "copy-of-ride.FIT"), ride);
        await _world.Eventually(() => agent.Queue.Uploaded().Count == 1 && agent.Queue.Pending().Count == 0
            && _world.LogText().Contains("copy-of-ride.FIT") && _world.LogText().Contains("ride.fit"), "both copies seen");
        File.Copy(Path.Combine(_world.Watch, "ride.fit"), Path.Combine(_world.Watch, "ride-again.fit"));
        await _world.Eventually(() => _world.LogText().Contains("ride-again.fit was uploaded before"), "the third copy skipped");
        Assert.Equal([SyncWorld.Sha(ride)], (await _world.Server.UploadsAsync(athleteId)).Select(u => u.Sha256).ToList());
        Assert.Single(agent.Queue.Uploaded());
    }

    public void Dispose() => _world.Dispose();
}
