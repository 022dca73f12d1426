using NirsSync.Fit;
using NirsSync.SensorExports;

namespace NirsSync.Server.Uploads;

/// <summary>The verdict on an upload's bytes: rejected with a status and reason, or accepted (maybe with a warning).</summary>
/// <param name="ExportFormat">The sensor-export format when the bytes are an export (read by the ingest job), else null.</param>
internal sealed record UploadVerdict(int RejectStatus, string? Reason, string? Warning, SensorExportFormat? ExportFormat = null)
{
    public bool Accepted => RejectStatus == 0;
}

/// <summary>
/// Checks that the bytes are a readable FIT activity, or a sensor export told by its content (the ingest job
/// reads the whole export once; here only its head is looked at), before they are accepted.
/// </summary>
internal static class UploadValidator
{
    public static UploadVerdict Check(byte[] bytes)
    {
        if (bytes.Length == 0)
            return new(422, "the body is empty: send the FIT file's bytes", null);
        if (!FitHeader.LooksLikeFit(bytes) && SensorExportReader.Detect(bytes) is var format && format.IsExport())
            return new(0, null, null, format);
        if (!FitHeader.LooksLikeFit(bytes))
            return new(415, bytes.Length < 12
                ? $"not a FIT file: {bytes.Length} bytes is shorter than a FIT header (12 or 14 bytes)"
                : "not a FIT file: byte 0 must be the header size 12 or 14 and bytes 8-11 must read \".FIT\"; nor is it a sensor export (Moxy CSV/XLSX, Train.Red CSV, VO2 Master Manager CSV, PerfPRO Studio XLSX)", null);
        if (IsSoundSingleFile(bytes)) return new(0, null, null);
        FitRide file;
        try
        {
            file = FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient);
        }
        catch (FitFormatException e)
        {
            return new(422, $"unreadable FIT file: {e.Message}", null);
        }
        var records = file.Records.Count;
        if (records == 0)
            return new(422, file.Damage is { } d
                ? $"unreadable FIT file: {d.ToException().Message}; no record message could be read before it"
                : "the FIT file holds no record messages, so it is not a ride", null);
        return new(0, null, file.Damage is { } damage
            ? $"damaged FIT file ({damage.ToException().Message}); the {records} records read before the damage were kept"
            : null);
    }

    /// <summary>
    /// The fast path for the common case: one complete FIT file whose CRC checks (the CRC over the whole
    /// file including its stored CRC is 0). Such a file is accepted without decoding; the ingest job
    /// decodes it once and reports anything else (a file without records fails there with the reason).
    /// </summary>
    private static bool IsSoundSingleFile(byte[] bytes)
    {
        var headerSize = bytes[0];
        var dataSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4, 4));
        return dataSize > 0 && bytes.Length == headerSize + (long)dataSize + 2 && Crc16.Compute(bytes) == 0;
    }
}
