using NirsSync.Fit;

namespace NirsSync.Cli.Sync;

/// <summary>Whether bytes are a whole FIT file: a FIT header and every CRC sound, so never a file still being written.</summary>
internal static class RideFileCheck
{
    /// <summary>Null for a complete FIT file, else why it is not one (yet).</summary>
    public static string? Problem(byte[] bytes)
    {
        if (bytes.Length == 0) return "the file is empty";
        if (!FitHeader.LooksLikeFit(bytes)) return "not a FIT file (no FIT header)";
        try
        {
            FitDecoder.Decode(bytes);
            return null;
        }
        catch (FitFormatException e)
        {
            return $"incomplete or damaged FIT file: {e.Message}";
        }
    }

    public static string Sha256(byte[] bytes) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
