namespace NirsSync.Fit;

/// <summary>A decoded data message: its global number, fields by number and developer fields.</summary>
public sealed class FitMessage
{
    internal FitMessage(FitDefinition definition, long offset, int part, FitField[] fields,
        FitDeveloperField[] developerFields, uint? timestamp, bool compressedTimestamp)
    {
        Definition = definition;
        Offset = offset;
        Part = part;
        Fields = fields;
        DeveloperFields = developerFields;
        Timestamp = timestamp;
        IsCompressedTimestamp = compressedTimestamp;
    }

    public FitDefinition Definition { get; }
    public ushort GlobalNumber => Definition.GlobalNumber;

    /// <summary>The profile name (record, lap, ...) or null for a message outside the profile subset.</summary>
    public string? Name => FitProfile.MessageName(GlobalNumber);

    /// <summary>Byte offset of the record header in the input.</summary>
    public long Offset { get; }

    /// <summary>Index of the chained file this message belongs to (0 for the first).</summary>
    public int Part { get; }

    public IReadOnlyList<FitField> Fields { get; }
    public IReadOnlyList<FitDeveloperField> DeveloperFields { get; }

    /// <summary>
    /// The message time in FIT seconds: its own field 253, or for a compressed-timestamp header the
    /// reconstructed time; null when the message has neither.
    /// </summary>
    public uint? Timestamp { get; }

    /// <summary>True when the message had a compressed-timestamp record header.</summary>
    public bool IsCompressedTimestamp { get; }

    /// <summary>The field with <paramref name="number"/>, when the message has it.</summary>
    public bool TryGetField(byte number, out FitField field)
    {
        foreach (var f in Fields)
            if (f.Number == number)
            {
                field = f;
                return true;
            }
        field = default;
        return false;
    }

    /// <summary>The valid raw value of field <paramref name="number"/> as a number, or null.</summary>
    public double? GetRaw(byte number, int index = 0) =>
        TryGetField(number, out var f) ? f.Value.GetDoubleOrNull(index) : null;

    /// <summary>The valid value of field <paramref name="number"/> in profile units, or null.</summary>
    public double? GetScaled(byte number, int index = 0) => TryGetField(number, out var f) ? f.GetScaled(index) : null;

    /// <summary>The first string of a string field, or null.</summary>
    public string? GetString(byte number) => TryGetField(number, out var f) ? f.Value.GetString() : null;

    public override string ToString() => $"{Name ?? GlobalNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)} @{Offset}";
}
