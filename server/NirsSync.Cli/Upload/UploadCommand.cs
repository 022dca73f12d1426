using System.CommandLine;
using NirsSync.Cli.Sync;

namespace NirsSync.Cli.Upload;

/// <summary>
/// <c>nirssync upload [--server URL] [--token T] [--no-wait] [--config F] [--state-dir D] FILE...</c>: sends FIT
/// files to the sync server through the agent's durable queue (so each ride is sent once, and a ride the
/// server cannot take now stays queued) and waits for each to be processed.
/// Exit codes: 0 all sent (and processed), 1 a file unreadable, refused or failed in processing,
/// 2 bad configuration (no token, bad address), 3 some rides could not be sent now and stay queued, 4 every ride
/// was sent but some were not processed within <c>--wait-timeout</c>. Files larger than <c>--max-upload-mb</c>
/// (default the server's 64 MiB) are refused here with exit code 1.
/// </summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var server = new Option<Uri?>("--server")
        {
            Description = "Server address (default: $NIRSSYNC_SERVER, the config file, else http://localhost:5080)",
            CustomParser = ServerAddress.Parse,
        };
        var token = new Option<string?>("--token") { Description = "The athlete's upload token (default: $NIRSSYNC_TOKEN, else the config file)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the server acknowledged, without waiting for processing" };
        var config = new Option<string?>("--config") { Description = $"Config file (default {SyncSettings.DefaultConfigPath()})" };
        var state = new Option<string?>("--state-dir") { Description = $"The queue folder shared with 'nirssync agent' (default {SyncSettings.DefaultStateDirectory()})" };
        var waitTimeout = new Option<double?>("--wait-timeout")
        {
            Description = "Seconds to wait for the server to process the rides (default 600, or waitTimeoutSeconds in the config file)",
        };
        var maxUpload = new Option<double?>("--max-upload-mb")
        {
            Description = "Refuse files larger than this many MiB without sending them (default 64, the server's limit)",
        };
        var start = new Option<string?>("--start")
        {
            Description = "Sensor exports that state no date (VO2 Master, PerfPro): the first sample's time, e.g. 2026-02-06T13:17:13+01:00 (wins over a file's own date)",
        };
        var timeZone = new Option<string?>("--time-zone")
        {
            Description = "The IANA time zone of a --start given without offset (default: this computer's)",
        };
        var files = new Argument<FileInfo[]>("FILE") { Description = "FIT files or sensor exports (Moxy, Train.Red, VO2 Master, PerfPro; told by content) to upload", Arity = ArgumentArity.OneOrMore };
        var command = new Command("upload", "Upload FIT files to the sync server, each ride once, queued while the server is away")
        {
            server, token, noWait, config, state, waitTimeout, maxUpload, start, timeZone, files,
        };
        command.SetAction((r, ct) => Run(r.GetValue(start), r.GetValue(timeZone), given => SyncRunner.UploadAsync(
            new SyncFlags
            {
                Server = r.GetValue(server)?.AbsoluteUri, Token = r.GetValue(token), ConfigFile = r.GetValue(config),
                StateDirectory = r.GetValue(state),
                WaitTimeout = r.GetValue(waitTimeout) is { } w ? TimeSpan.FromSeconds(w) : null,
                MaxUploadBytes = r.GetValue(maxUpload) is { } mb ? (long)(mb * (1 << 20)) : null,
            },
            r.GetValue(files)!, !r.GetValue(noWait), Environment.GetEnvironmentVariable, Console.Out, Console.Error, ct, given)));
        return command;
    }

    /// <summary>Checks --start (and --time-zone) before anything is queued: exit 2 with the reason when it cannot be read.</summary>
    internal static Task<int> Run(string? start, string? timeZone, Func<DateTimeOffset?, Task<int>> upload)
    {
        if (string.IsNullOrWhiteSpace(start)) return upload(null);
        var (options, problem) = ExportArguments.Parse(start, timeZone);
        if (problem is not null)
        {
            Console.Error.WriteLine($"nirssync: {problem}");
            return Task.FromResult(SyncRunner.BadConfiguration);
        }
        return upload(options!.Start);
    }
}
