using System.Diagnostics;
using System.Text.Json.Nodes;

namespace NirsSync.Fit.Tests;

/// <summary>
/// Runs Garmin's JavaScript FIT SDK (tests/node/fit-oracle/oracle.mjs) on a file and returns its
/// messages in the <c>nirssync fit dump</c> shape, plus the SDK's errors.
/// </summary>
public static class GarminOracle
{
    public sealed record Result(IReadOnlyList<JsonObject> Messages, IReadOnlyList<string> Errors);

    public static Result Decode(string path)
    {
        var script = Path.Combine(Repo.Root, "tests", "node", "fit-oracle", "oracle.mjs");
        var modules = Path.Combine(Repo.Root, "tests", "node", "fit-oracle", "node_modules", "@garmin", "fitsdk");
        if (!Directory.Exists(modules))
            throw new InvalidOperationException(
                "Garmin's FIT SDK is not installed: run `npm ci` in tests/node/fit-oracle (scripts/test.sh does)");
        var start = new ProcessStartInfo("node", [script, path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line) lines.Add(line);
        process.WaitForExit();
        if (process.ExitCode != 0 || lines.Count == 0)
            throw new InvalidOperationException($"oracle failed on {path}: {stderr.Result}");
        var messages = lines[..^1].Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var errors = JsonNode.Parse(lines[^1])!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        return new Result(messages, errors);
    }
}
