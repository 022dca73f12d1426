using NirsSync.Cli.Sync;
using NirsSync.Data;

namespace NirsSync.Cli.Tests;

/// <summary><c>nirssync upload FILE...</c> against the real server: exit codes, the queue, dedupe.</summary>
public sealed class SyncUploadCommandTests : IDisposable
{
    private readonly SyncWorld _world = new();

    private Task<(int Code, string Output, string Error)> UploadAsync(string? token, params string[] files) =>
        UploadAsync(token, null, files);

    private async Task<(int Code, string Output, string Error)> UploadAsync(string? token, DateTimeOffset? start, params string[] files)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var flags = new SyncFlags { Server = _world.Server.BaseAddress.ToString(), Token = token, StateDirectory = _world.State };
        var code = await SyncRunner.UploadAsync(flags, [.. files.Select(f => new FileInfo(f))], wait: true,
            k => k == "NIRSSYNC_CONFIG" ? Path.Combine(_world.Root, "no-config.json") : null, output, error,
            CancellationToken.None, start);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task UploadWhileServerDownQueuesTheRideAndTheNextUploadSendsIt()
    {
        var (athleteId, token) = await _world.Server.SeedAthleteAsync("Eve");
        var first = Path.Combine(_world.Root, "first.fit");
        var second = Path.Combine(_world.Root, "second.fit");
        await File.WriteAllBytesAsync(first, SyncWorld.Ride(seed: 600));
        await File.WriteAllBytesAsync(second, SyncWorld.Ride(seed: 601));

        var offline = await UploadAsync(token, first);
        Assert.Equal(SyncRunner.StillQueued, offline.Code);
        Assert.Contains("1 ride(s) could not be sent now and stay queued", offline.Error);

        await _world.Server.StartAsync();
        var online = await UploadAsync(token, second);
        Assert.Equal(0, online.Code);
        Assert.Contains("first.fit: accepted as upload", online.Output);
        Assert.Contains("second.fit: accepted as upload", online.Output);
        Assert.Matches(@"second\.fit: upload [0-9a-f-]{36} processed, ride [0-9a-f-]{36}", online.Output);

        var again = await UploadAsync(token, first);
        Assert.Equal(0, again.Code);
        Assert.Contains("first.fit: uploaded before as upload", again.Output);
        var shas = (await _world.Server.UploadsAsync(athleteId)).Select(u => u.Sha256).Order().ToList();
        Assert.Equal(new[] { first, second }.Select(f => SyncWorld.Sha(File.ReadAllBytes(f))).Order().ToList(), shas);
    }

    [Fact]
    public async Task UploadRefusesFilesThatAreNotCompleteFitFilesAndNamesThem()
    {
        var (athleteId, token) = await _world.Server.SeedAthleteAsync("Fay");
        var text = Path.Combine(_world.Root, "notes.fit");
        var cut = Path.Combine(_world.Root, "cut.fit");
        await File.WriteAllTextAsync(text, "this is not a ride");
        var ride = SyncWorld.Ride(seed: 700);
        await File.WriteAllBytesAsync(cut, ride[..(ride.Length / 2)]);
        await _world.Server.StartAsync();

        var result = await UploadAsync(token, text, cut, Path.Combine(_world.Root, "missing.fit"));
        Assert.Equal(1, result.Code);
        Assert.Contains($"{text}: not a FIT file", result.Error);
        Assert.Contains($"{cut}: incomplete or damaged FIT file", result.Error);
        Assert.Contains("missing.fit", result.Error);
        Assert.Empty(await _world.Server.UploadsAsync(athleteId));
    }

    [Fact]
    public async Task UploadWithAWrongTokenKeepsTheRideQueuedAndSaysWhy()
    {
        await _world.Server.SeedAthleteAsync("Gus");
        var file = Path.Combine(_world.Root, "ride.fit");
        await File.WriteAllBytesAsync(file, SyncWorld.Ride(seed: 800));
        await _world.Server.StartAsync();
        var result = await UploadAsync("nst_not-a-real-token", file);
        Assert.Equal(SyncRunner.StillQueued, result.Code);
        Assert.Contains("the server refused the upload token (401", result.Output);
        Assert.Single(new SyncQueue(_world.State).Pending());
    }

    [Fact]
    public async Task UploadWithoutATokenIsAConfigurationError()
    {
        var file = Path.Combine(_world.Root, "ride.fit");
        await File.WriteAllBytesAsync(file, SyncWorld.Ride(seed: 900));
        var result = await UploadAsync(null, file);
        Assert.Equal(SyncRunner.BadConfiguration, result.Code);
        Assert.StartsWith("nirssync: no upload token: pass --token TOKEN, set NIRSSYNC_TOKEN", result.Error);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task UploadSendsAnExportWithoutADateWithItsStartAndTheServerMakesItARide()
    {
        var (_, token) = await _world.Server.SeedAthleteAsync("Gus");
        var sb = new System.Text.StringBuilder(
            "Time[s],Time[hh:mm:ss],HR[bpm],SmO2[%],SmO2 -  2[%],SmO2 -  3[%],THb[THb],THb -  2[THb],THb -  3[THb],RPM[rpm],Speed[km/h],RR[ms]\n");
        for (var t = 0; t < 200; t++)
            sb.Append($"{t},00:00:00,120,\"{60 - t % 40},50\",\"0,00\",\"0,00\",\"13,80\",\"0,00\",\"0,00\",85,\"36,00\",500\n");
        var dated = Path.Combine(_world.Root, "vo2master.csv");
        var undated = Path.Combine(_world.Root, "vo2master-2.csv");
        await File.WriteAllTextAsync(dated, sb.ToString());
        await File.WriteAllTextAsync(undated, sb.ToString().Replace("\"36,00\"", "\"35,00\""));
        await _world.Server.StartAsync();

        var with = await UploadAsync(token, new DateTimeOffset(2026, 2, 6, 13, 17, 13, TimeSpan.FromHours(1)), dated);
        Assert.Equal(0, with.Code);
        Assert.Matches(@"vo2master\.csv: upload [0-9a-f-]{36} processed, ride [0-9a-f-]{36}", with.Output);

        var without = await UploadAsync(token, undated);
        Assert.Equal(1, without.Code);
        Assert.Contains("states no date, so its start is missing", without.Output);
    }
}
