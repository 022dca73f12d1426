using System.Text.Json;

namespace NirsSync.Cli.Sync;

/// <summary>Thrown when the sync configuration is missing or wrong; the message names what to fix.</summary>
public sealed class SyncConfigException(string message) : Exception(message);

/// <summary>
/// Where the agent uploads, with which token, what it watches and where its queue lives. Resolved from
/// flags, then environment variables (NIRSSYNC_SERVER, NIRSSYNC_TOKEN, NIRSSYNC_STATE_DIR, NIRSSYNC_WATCH
/// separated by the path separator, NIRSSYNC_MAX_UPLOAD_BYTES), then the config file (default <see cref="DefaultConfigPath"/>); the
/// server defaults to <see cref="DefaultServer"/>.
/// </summary>
public sealed record SyncSettings
{
    public required Uri Server { get; init; }
    public required string Token { get; init; }
    public required string StateDirectory { get; init; }
    public IReadOnlyList<string> WatchFolders { get; init; } = [];
    public bool FindGarminDevices { get; init; }
    public bool Recursive { get; init; }
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long size and modification time must stay unchanged before a file is read.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The server's default upload limit (NirsSync:MaxUploadBytes, 64 MiB).</summary>
    public const long DefaultMaxUploadBytes = 64L << 20;

    /// <summary>Files larger than this are refused here, never read whole nor sent (set it to the server's limit).</summary>
    public long MaxUploadBytes { get; init; } = DefaultMaxUploadBytes;

    /// <summary>How long <c>nirssync upload</c> waits for the server to process what it sent.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The server's own default address (see README).</summary>
    public const string DefaultServer = "http://localhost:5080";

    public static string DefaultConfigPath() => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.Create),
        "nirssync", "agent.json");

    public static string DefaultStateDirectory() => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "nirssync", "agent");

    /// <summary>The settings from flags over environment over config file.</summary>
    public static SyncSettings Resolve(SyncFlags flags, Func<string, string?> environment)
    {
        var configPath = flags.ConfigFile ?? environment("NIRSSYNC_CONFIG") ?? DefaultConfigPath();
        var file = ReadConfigFile(configPath, explicitly: flags.ConfigFile is not null);
        var server = flags.Server ?? environment("NIRSSYNC_SERVER") ?? file?.Server ?? DefaultServer;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new SyncConfigException($"the server URL '{server}' is not an absolute http(s) URL");
        var token = flags.Token ?? environment("NIRSSYNC_TOKEN") ?? file?.Token
            ?? throw new SyncConfigException(
                $"no upload token: pass --token TOKEN, set NIRSSYNC_TOKEN or put \"token\" in {configPath}");
        if (string.IsNullOrWhiteSpace(token)) throw new SyncConfigException("the upload token is empty");
        var watch = flags.Watch.Count > 0 ? flags.Watch
            : environment("NIRSSYNC_WATCH") is { Length: > 0 } w ? w.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            : file?.Watch ?? [];
        var settings = new SyncSettings
        {
            Server = uri,
            Token = token.Trim(),
            StateDirectory = Path.GetFullPath(flags.StateDirectory ?? environment("NIRSSYNC_STATE_DIR")
                ?? file?.StateDir ?? DefaultStateDirectory()),
            WatchFolders = [.. watch.Select(Path.GetFullPath)],
            FindGarminDevices = flags.GarminDevices || (file?.GarminDevices ?? false),
            Recursive = flags.Recursive || (file?.Recursive ?? false),
            PollInterval = flags.PollInterval ?? Seconds(file?.PollSeconds) ?? TimeSpan.FromSeconds(2),
            Settle = flags.Settle ?? Seconds(file?.SettleSeconds) ?? TimeSpan.FromSeconds(3),
            MaxUploadBytes = flags.MaxUploadBytes ?? Bytes(environment("NIRSSYNC_MAX_UPLOAD_BYTES"))
                ?? file?.MaxUploadBytes ?? DefaultMaxUploadBytes,
            WaitTimeout = flags.WaitTimeout ?? Seconds(file?.WaitTimeoutSeconds) ?? TimeSpan.FromMinutes(10),
        };
        if (settings.MaxUploadBytes <= 0)
            throw new SyncConfigException($"the upload size limit must be positive (it is {settings.MaxUploadBytes} bytes)");
        if (settings.WaitTimeout <= TimeSpan.Zero)
            throw new SyncConfigException($"the wait timeout must be positive (it is {settings.WaitTimeout.TotalSeconds} s)");
        return settings;
    }

    private static long? Bytes(string? text) =>
        text is null ? null
        : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b) ? b
        : throw new SyncConfigException($"NIRSSYNC_MAX_UPLOAD_BYTES '{text}' is not a number of bytes");

    private static TimeSpan? Seconds(double? s) => s is { } v ? TimeSpan.FromSeconds(v) : null;

    private static SyncConfigFile? ReadConfigFile(string path, bool explicitly)
    {
        if (!File.Exists(path))
            return explicitly ? throw new SyncConfigException($"the config file {path} does not exist") : null;
        try
        {
            return JsonSerializer.Deserialize<SyncConfigFile>(File.ReadAllText(path), SyncJson.Options)
                ?? throw new SyncConfigException($"the config file {path} is empty");
        }
        catch (JsonException e)
        {
            throw new SyncConfigException($"the config file {path} is not valid JSON: {e.Message}");
        }
    }
}

/// <summary>What the command line said; null where it said nothing.</summary>
public sealed record SyncFlags
{
    public string? Server { get; init; }
    public string? Token { get; init; }
    public string? ConfigFile { get; init; }
    public string? StateDirectory { get; init; }
    public IReadOnlyList<string> Watch { get; init; } = [];
    public bool GarminDevices { get; init; }
    public bool Recursive { get; init; }
    public TimeSpan? PollInterval { get; init; }
    public TimeSpan? Settle { get; init; }
    public long? MaxUploadBytes { get; init; }
    public TimeSpan? WaitTimeout { get; init; }
}

/// <summary>The config file: <c>{"server": "...", "token": "...", "watch": ["..."], "stateDir": "...", "garminDevices": true,
/// "maxUploadBytes": 67108864, "waitTimeoutSeconds": 600}</c>.</summary>
public sealed record SyncConfigFile
{
    public string? Server { get; init; }
    public string? Token { get; init; }
    public string[]? Watch { get; init; }
    public string? StateDir { get; init; }
    public bool? GarminDevices { get; init; }
    public bool? Recursive { get; init; }
    public double? PollSeconds { get; init; }
    public double? SettleSeconds { get; init; }
    public long? MaxUploadBytes { get; init; }
    public double? WaitTimeoutSeconds { get; init; }
}

internal static class SyncJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}
