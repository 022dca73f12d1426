using NirsSync.Cli.Sync;

namespace NirsSync.Cli.Tests;

public sealed class SyncSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nirssync-cfg-" + Guid.NewGuid().ToString("N"))).FullName;

    private string Config(string json)
    {
        var path = Path.Combine(_dir, "agent.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void FlagsWinOverEnvironmentWhichWinsOverTheConfigFile()
    {
        var config = Config("""{ "server": "http://file:1", "token": "file-token", "watch": ["/w/file"], "stateDir": "/s/file", "settleSeconds": 7 }""");
        var env = new Dictionary<string, string> { ["NIRSSYNC_TOKEN"] = "env-token", ["NIRSSYNC_STATE_DIR"] = "/s/env" };
        var settings = SyncSettings.Resolve(new SyncFlags { ConfigFile = config, StateDirectory = "/s/flag" }, env.GetValueOrDefault);
        Assert.Equal(new Uri("http://file:1"), settings.Server);
        Assert.Equal("env-token", settings.Token);
        Assert.Equal(Path.GetFullPath("/s/flag"), settings.StateDirectory);
        Assert.Equal([Path.GetFullPath("/w/file")], settings.WatchFolders);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.Settle);
    }

    [Fact]
    public void ServerDefaultsToTheLocalServerAndAMissingTokenNamesEveryPlaceItCanComeFrom()
    {
        var missing = Path.Combine(_dir, "none.json");
        Func<string, string?> env = k => k == "NIRSSYNC_CONFIG" ? missing : null;
        Assert.Equal(new Uri("http://localhost:5080"), SyncSettings.Resolve(new SyncFlags { Token = "t" }, env).Server);
        var e = Assert.Throws<SyncConfigException>(() => SyncSettings.Resolve(new SyncFlags(), env));
        Assert.Equal($"no upload token: pass --token TOKEN, set NIRSSYNC_TOKEN or put \"token\" in {missing}", e.Message);
    }

    [Fact]
    public void BadServerUrlAndBrokenConfigFileAreNamed()
    {
        var e = Assert.Throws<SyncConfigException>(() => SyncSettings.Resolve(
            new SyncFlags { Server = "ftp://x", Token = "t", ConfigFile = Config("{}") }, _ => null));
        Assert.Equal("the server URL 'ftp://x' is not an absolute http(s) URL", e.Message);
        var broken = Config("{ server: ");
        e = Assert.Throws<SyncConfigException>(() => SyncSettings.Resolve(new SyncFlags { ConfigFile = broken }, _ => null));
        Assert.StartsWith($"the config file {broken} is not valid JSON", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
