using System.Text.Json;
using NirsSync.Fit;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync fit dump FILE</c>: one JSON object per data message per line, in file order:
/// <c>{"mesg":N,"name":"record","fields":{"253":...},"dev":{"0:1":...}}</c>. Values are raw (before
/// scale and offset); invalid values are left out; a compressed-timestamp message carries its
/// reconstructed timestamp as field "253".
/// </summary>
internal static class FitDump
{
    public static int Run(FileInfo file, bool lenient, Stream output, TextWriter error)
    {
        if (!file.Exists)
        {
            error.WriteLine($"nirssync: {file.FullName}: no such file");
            return 2;
        }
        FitFile fit;
        try
        {
            fit = FitDecoder.Decode(File.ReadAllBytes(file.FullName), lenient ? FitDecodeOptions.Lenient : FitDecodeOptions.Strict);
        }
        catch (FitFormatException e)
        {
            error.WriteLine($"nirssync: {file.Name}: {e.Message}");
            return 1;
        }
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            foreach (var message in fit.Messages)
            {
                FitMessageJson.Write(writer, message);
                writer.Flush();
                writer.Reset(output);
                output.WriteByte((byte)'\n');
            }
        }
        output.Flush();
        if (fit.Damage is { } damage)
        {
            error.WriteLine($"nirssync: {file.Name}: {damage.ToException().Message}");
            return 1;
        }
        return 0;
    }
}
