using System.CommandLine;

namespace NirsSync.Cli.Sync;

/// <summary><c>nirssync agent</c> and <c>nirssync admin link-garmin</c>; <c>nirssync upload</c> (Upload/) shares the queue.</summary>
internal static class SyncCommands
{
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(Agent());
        if (root.Subcommands.FirstOrDefault(c => c.Name == "admin") is { } admin) admin.Subcommands.Add(GarminLinkCommand.Create(admin));
    }

    private sealed record Common(Option<string?> Server, Option<string?> Token, Option<string?> Config, Option<string?> State)
    {
        public static Common AddTo(Command command)
        {
            var c = new Common(
                new Option<string?>("--server") { Description = "Server URL, e.g. http://localhost:5080 (else $NIRSSYNC_SERVER, else the config file)" },
                new Option<string?>("--token") { Description = "The athlete's upload token (else $NIRSSYNC_TOKEN, else the config file)" },
                new Option<string?>("--config") { Description = $"Config file (default {SyncSettings.DefaultConfigPath()})" },
                new Option<string?>("--state-dir") { Description = $"Queue folder (default {SyncSettings.DefaultStateDirectory()})" });
            command.Options.Add(c.Server);
            command.Options.Add(c.Token);
            command.Options.Add(c.Config);
            command.Options.Add(c.State);
            return c;
        }

        public SyncFlags Flags(ParseResult r) => new()
        {
            Server = r.GetValue(Server), Token = r.GetValue(Token), ConfigFile = r.GetValue(Config),
            StateDirectory = r.GetValue(State),
        };
    }

    private static Command Agent()
    {
        var command = new Command("agent",
            "Watch folders (a Garmin unit's GARMIN/Activity, Garmin Express's folder, any folder) and upload every new ride once");
        var common = Common.AddTo(command);
        var watch = new Option<string[]>("--watch") { Description = "A folder to watch (repeatable); a device root is resolved to its GARMIN/Activity", AllowMultipleArgumentsPerToken = false };
        var devices = new Option<bool>("--garmin-devices") { Description = "Also watch every mounted Garmin unit's GARMIN/Activity folder" };
        var recursive = new Option<bool>("--recursive") { Description = "Look into subfolders of the watched folders" };
        var poll = new Option<double?>("--poll-seconds") { Description = "Seconds between two looks at the folders (default 2)" };
        var settle = new Option<double?>("--settle-seconds") { Description = "Seconds a file must stay unchanged before it is read (default 3)" };
        var maxUpload = new Option<double?>("--max-upload-mb") { Description = "Never read or send files larger than this many MiB (default 64, the server's limit)" };
        foreach (var o in new Option[] { watch, devices, recursive, poll, settle, maxUpload }) command.Options.Add(o);
        command.SetAction(async (r, ct) =>
        {
            var flags = common.Flags(r) with
            {
                Watch = r.GetValue(watch) ?? [], GarminDevices = r.GetValue(devices), Recursive = r.GetValue(recursive),
                PollInterval = r.GetValue(poll) is { } p ? TimeSpan.FromSeconds(p) : null,
                Settle = r.GetValue(settle) is { } s ? TimeSpan.FromSeconds(s) : null,
                MaxUploadBytes = r.GetValue(maxUpload) is { } mb ? (long)(mb * (1 << 20)) : null,
            };
            return await SyncRunner.AgentAsync(flags, Environment.GetEnvironmentVariable, Console.Out, Console.Error, ct);
        });
        return command;
    }
}
