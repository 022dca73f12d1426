namespace NirsSync.Fit;

/// <summary>One field of a definition message: number, size in bytes, base type.</summary>
public readonly record struct FitFieldDefinition(byte Number, byte Size, FitBaseType BaseType, byte RawBaseType)
{
    /// <summary>True when the size holds a whole number of base-type elements.</summary>
    public bool IsAligned => Size != 0 && Size % BaseType.Size() == 0;
}

/// <summary>One developer field of a definition message: number, size, developer data index.</summary>
public readonly record struct FitDeveloperFieldDefinition(byte Number, byte Size, byte DeveloperDataIndex);

/// <summary>
/// A definition message (FIT protocol, "Definition Message"): binds a local message type to a global
/// message number, an architecture and a field layout. Immutable once decoded; data messages of that
/// local type refer to it.
/// </summary>
public sealed class FitDefinition
{
    internal FitDefinition(byte localType, bool bigEndian, ushort globalNumber,
        FitFieldDefinition[] fields, FitDeveloperFieldDefinition[] developerFields, long offset)
    {
        LocalType = localType;
        BigEndian = bigEndian;
        GlobalNumber = globalNumber;
        Fields = fields;
        DeveloperFields = developerFields;
        Offset = offset;
        var size = 0;
        TimestampOffset = -1;
        foreach (var f in fields)
        {
            if (f.Number == 253 && f.Size == 4 && f.BaseType.IsInteger() && TimestampOffset < 0)
                TimestampOffset = size;
            size += f.Size;
            if (f.Size > 0) NonEmptyFieldCount++;
        }
        foreach (var d in developerFields)
        {
            size += d.Size;
            if (d.Size > 0) NonEmptyDeveloperFieldCount++;
        }
        DataSize = size;
    }

    /// <summary>Local message type 0-15.</summary>
    public byte LocalType { get; }

    /// <summary>True for architecture 1 (big-endian multi-byte values).</summary>
    public bool BigEndian { get; }

    /// <summary>Global message number (profile "mesg_num").</summary>
    public ushort GlobalNumber { get; }

    /// <summary>The field layout, in file order.</summary>
    public IReadOnlyList<FitFieldDefinition> Fields { get; }

    /// <summary>Developer fields, in file order, after the regular fields.</summary>
    public IReadOnlyList<FitDeveloperFieldDefinition> DeveloperFields { get; }

    /// <summary>Byte offset of the definition message in the input.</summary>
    public long Offset { get; }

    /// <summary>Size in bytes of a data message's content (without its record header).</summary>
    public int DataSize { get; }

    private FitFieldProfile?[]? _profiles;

    /// <summary>The profile of each non-empty field, in order (null where the profile subset has none); built once.</summary>
    internal FitFieldProfile?[] FieldProfiles => _profiles ??= BuildProfiles();

    private FitFieldProfile?[] BuildProfiles()
    {
        var message = FitProfile.Message(GlobalNumber);
        return FieldArray.Where(f => f.Size > 0).Select(f => message?.Field(f.Number)).ToArray();
    }

    /// <summary>The columnar reader's compiled plan for this layout (records only).</summary>
    internal object? ColumnPlan { get; set; }

    internal int NonEmptyFieldCount { get; }
    internal int NonEmptyDeveloperFieldCount { get; }

    /// <summary>Offset of a 4-byte timestamp field (253) in the content, or -1.</summary>
    internal int TimestampOffset { get; }

    internal FitFieldDefinition[] FieldArray => (FitFieldDefinition[])Fields;
    internal FitDeveloperFieldDefinition[] DeveloperFieldArray => (FitDeveloperFieldDefinition[])DeveloperFields;
}
