using System.CommandLine.Parsing;

namespace NirsSync.Cli.Upload;

/// <summary>Parses --server: an absolute http(s) address.</summary>
internal static class ServerAddress
{
    public static Uri? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
        result.AddError($"--server '{text}' is not an http:// or https:// address");
        return null;
    }
}
