namespace NirsSync.Fit;

/// <summary>A developer_data_id message (207): who registered a developer data index.</summary>
public sealed record FitDeveloperDataId(
    byte DeveloperDataIndex,
    byte[]? DeveloperId,
    byte[]? ApplicationId,
    ushort? ManufacturerId,
    uint? ApplicationVersion)
{
    /// <summary>The application id as a UUID string (bytes in written order), or null.</summary>
    public string? ApplicationUuid => ApplicationId is { Length: 16 } a ? FormatUuid(a) : null;

    internal static string FormatUuid(ReadOnlySpan<byte> a) => Convert.ToHexStringLower(a) is var h
        ? $"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..]}"
        : "";
}

/// <summary>A field_description message (206): defines one developer field.</summary>
public sealed record FitFieldDescription(
    byte DeveloperDataIndex,
    byte FieldDefinitionNumber,
    FitBaseType BaseType,
    string? Name,
    string? Units,
    byte? Scale,
    sbyte? Offset,
    ushort? NativeMessageNumber,
    byte? NativeFieldNumber,
    byte? Array)
{
    /// <summary>The developer_data_id this field belongs to, when the file had one.</summary>
    public FitDeveloperDataId? Application { get; internal set; }

    public string Key => $"{DeveloperDataIndex}:{FieldDefinitionNumber}";
}
