namespace NirsSync.Fit;

/// <summary>
/// One FIT file inside the input. Inputs may chain several files back to back; each has its own
/// header, records and CRC.
/// </summary>
public sealed record FitPart(
    long Offset,
    FitHeader Header,
    long DataEnd,
    ushort? StoredCrc,
    ushort? ComputedCrc,
    int MessageCount,
    int DefinitionCount)
{
    /// <summary>True when the part's CRC was present and matched (or not checked and absent).</summary>
    public bool CrcOk => StoredCrc is null || ComputedCrc is null || StoredCrc == ComputedCrc;

    /// <summary>True when the header declared data size 0 (an unfinished file).</summary>
    public bool UnknownDataSize => Header.DataSize == 0;
}
