using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using NirsSync.Cli.Admin;
using NirsSync.Cli.Sync;
using NirsSync.Cli.Upload;
using NirsSync.Fit.Synthetic;
using NirsSync.Server.Hosting;

namespace NirsSync.Cli.Tests;

/// <summary>
/// The account a newcomer creates with <c>nirssync admin</c>, used by <c>nirssync upload</c> and
/// <c>nirssync bench upload</c> against the real server listening on a local port.
/// </summary>
public sealed class AdminUploadCommandTests : IAsyncLifetime
{
    private readonly DirectoryInfo _data = new(Path.Combine(Path.GetTempPath(), "nirssync-cli-up-" + Guid.NewGuid().ToString("N")));
    private WebApplication _app = null!;
    private Uri _server = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        var output = new StringWriter();
        await AdminRunner.RunAsync(_data, output, TextWriter.Null, a => a.AddCoachAsync("coach@example.com", "long-enough-pw", false));
        await AdminRunner.RunAsync(_data, output, TextWriter.Null, a => a.AddAthleteAsync("Ann", "coach@example.com"));
        _token = output.ToString().Split('\n').Single(l => l.StartsWith("upload-token: ", StringComparison.Ordinal))[14..].Trim();
        _server = new Uri($"http://127.0.0.1:{NirsSync.Server.Tests.Support.ServerProcess.FreePort()}");
        _app = NirsApp.Build(["--urls", _server.ToString(), $"--NirsSync:DataDirectory={_data.FullName}",
            "--NirsSync:TrendBatchDelaySeconds=0", "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _data.Delete(recursive: true); }
        catch (IOException) { }
    }

    private async Task<(int Code, string Output, string Error)> UploadAsync(string? token, FileInfo file, bool wait)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var flags = new SyncFlags { Server = _server.ToString(), Token = token, StateDirectory = Path.Combine(_data.FullName, "queue") };
        var code = await SyncRunner.UploadAsync(flags, [file], wait,
            k => k == "NIRSSYNC_CONFIG" ? Path.Combine(_data.FullName, "no-config.json") : null, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task UploadWaitsForTheRideAndTheSameFileAgainIsTheSameUpload()
    {
        var file = new FileInfo(Path.Combine(_data.FullName, "ride.fit"));
        await File.WriteAllBytesAsync(file.FullName, SyntheticRide.Generate(new SyntheticRideOptions { Seed = 5, Duration = TimeSpan.FromMinutes(10) }));
        var first = await UploadAsync(_token, file, wait: true);
        Assert.Equal(0, first.Code);
        var processed = System.Text.RegularExpressions.Regex.Match(first.Output, @"ride\.fit: upload ([0-9a-f-]{36}) processed, ride [0-9a-f-]{36}");
        Assert.True(processed.Success, first.Output);
        var second = await UploadAsync(_token, file, wait: false);
        Assert.Equal(0, second.Code);
        Assert.Contains($"ride.fit: uploaded before as upload {processed.Groups[1].Value}", second.Output);
    }

    [Fact]
    public async Task UploadOfANonFitFileIsRefusedAndNamed()
    {
        var file = new FileInfo(Path.Combine(_data.FullName, "notes.txt"));
        await File.WriteAllTextAsync(file.FullName, "these are not the bytes of a FIT file");
        var result = await UploadAsync(_token, file, wait: true);
        Assert.Equal(1, result.Code);
        Assert.Contains("notes.txt", result.Error);
    }

    [Fact]
    public async Task UploadWithoutATokenIsRefusedBeforeSending()
    {
        var result = await UploadAsync(null, new FileInfo("x.fit"), wait: true);
        Assert.Equal(2, result.Code);
        Assert.Contains("token", result.Error);
    }

    [Fact]
    public async Task BenchUploadPrintsThroughputAndLatency()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await UploadBench.RunAsync(_server, 12, 3, 5, _token, null, output, error, CancellationToken.None,
            settle: TimeSpan.FromSeconds(1)));
        var text = output.ToString();
        Assert.Equal(2, Regex.Matches(text, "warm-up: 12 rides uploaded and processed").Count);
        Assert.Matches(@"client compilation (settled in|still going after) [0-9.]+ s \(\d+ methods compiled\)", text);
        Assert.Matches(@"bench client CPU: [0-9.]+ s, [0-9.]+ ms per ride \(\d+ methods compiled during the run\)", text);
        Assert.Contains("acknowledged 12/12", text);
        Assert.Matches(@"processed 12 \(failed 0\) in [0-9.]+ s: [0-9.]+ rides/s end to end", text);
        Assert.Matches(@"acknowledgement latency p50 [0-9.]+ ms, p99 [0-9.]+ ms", text);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void PercentileInterpolatesBetweenRanks()
    {
        double[] sorted = [10, 20, 30, 40, 50];
        Assert.Equal(30, UploadBench.Percentile(sorted, 0.5));
        Assert.Equal(49.6, UploadBench.Percentile(sorted, 0.99), 6);
        Assert.Equal(10, UploadBench.Percentile(sorted, 0));
    }
}
