using System.CommandLine;
using System.Net.Http.Headers;

namespace NirsSync.Cli.Upload;

/// <summary><c>nirssync upload --server URL --token T FILE...</c>: sends FIT files to the sync server and waits for each.</summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var server = new Option<Uri>("--server")
        {
            Description = "Server address", DefaultValueFactory = _ => new Uri("http://localhost:5080"),
            CustomParser = ServerAddress.Parse,
        };
        var token = new Option<string?>("--token") { Description = "The athlete's upload token (default: $NIRSSYNC_TOKEN)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the server acknowledged, without waiting for processing" };
        var files = new Argument<FileInfo[]>("FILE") { Description = "FIT files to upload", Arity = ArgumentArity.OneOrMore };
        var command = new Command("upload", "Upload FIT files to the sync server") { server, token, noWait, files };
        command.SetAction((r, ct) => RunAsync(r.GetValue(server)!, r.GetValue(token) ?? Environment.GetEnvironmentVariable("NIRSSYNC_TOKEN"),
            r.GetValue(files)!, !r.GetValue(noWait), Console.Out, Console.Error, ct));
        return command;
    }

    internal static async Task<int> RunAsync(Uri server, string? token, FileInfo[] files, bool wait, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            await error.WriteLineAsync("nirssync: no upload token: pass --token or set NIRSSYNC_TOKEN");
            return 2;
        }
        using var http = UploadClient.Create(server, token, 4);
        var failures = 0;
        foreach (var file in files)
        {
            if (!file.Exists)
            {
                await error.WriteLineAsync($"nirssync: {file.FullName}: no such file");
                failures++;
                continue;
            }
            var result = await UploadClient.SendAsync(http, await File.ReadAllBytesAsync(file.FullName, cancellationToken), cancellationToken);
            if (result.Status is null)
            {
                await error.WriteLineAsync($"nirssync: {file.Name}: {result.Error}");
                failures++;
                continue;
            }
            var status = result.Status;
            if (wait) status = await UploadClient.WaitAsync(http, status.Id, cancellationToken);
            await output.WriteLineAsync($"{file.Name}: upload {status.Id} {status.Status}{(status.RideId is { } ride ? $", ride {ride}" : "")}{(status.Reason is { } reason ? $": {reason}" : "")}{(status.Warning is { } w ? $" (warning: {w})" : "")}");
            if (status.Status == "failed") failures++;
        }
        return failures == 0 ? 0 : 1;
    }
}
