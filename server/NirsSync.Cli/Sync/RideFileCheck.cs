using NirsSync.Fit;
using NirsSync.SensorExports;

namespace NirsSync.Cli.Sync;

/// <summary>
/// Whether bytes are a whole ride file, told by content: a FIT file whose header and every CRC are sound, or a
/// sensor export (Moxy, Train.Red, VO2 Master, PerfPro) that reads without error, so never a file still being written.
/// </summary>
internal static class RideFileCheck
{
    /// <summary>Null for a complete FIT file, else why it is not one (yet).</summary>
    public static string? Problem(byte[] bytes)
    {
        if (bytes.Length == 0) return "the file is empty";
        if (!FitHeader.LooksLikeFit(bytes)) return ExportProblem(bytes);
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

    private static string? ExportProblem(byte[] bytes)
    {
        if (!SensorExportReader.Detect(bytes).IsExport()) return "not a FIT file (no FIT header) nor a sensor export";
        try
        {
            SensorExportReader.Read(bytes);
            return null;
        }
        catch (SensorExportException e)
        {
            return $"incomplete or damaged sensor export: {e.Message}";
        }
    }

    public static string Sha256(byte[] bytes) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
