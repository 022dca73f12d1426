namespace NirsSync.Fit;

/// <summary>Where a record column's values came from.</summary>
public enum FitColumnSource
{
    /// <summary>A native record field (for example 57 saturated_hemoglobin_percent).</summary>
    Native,
    /// <summary>A developer field, keyed by (developer data index, field definition number).</summary>
    Developer,
}

/// <summary>
/// One column of record values beside the fixed ones: a native muscle-oxygen field (54-59, in profile
/// units) or a numeric developer field of record messages (RAW values as stored, before the
/// description's scale and offset, element 0 for arrays). NaN marks rows where it is absent or invalid.
/// </summary>
public sealed class FitColumn
{
    internal FitColumn(FitColumnSource source, byte developerDataIndex, byte fieldNumber,
        FitFieldDescription? description, int capacity)
    {
        Source = source;
        DeveloperDataIndex = developerDataIndex;
        FieldNumber = fieldNumber;
        Description = description;
        Values = new float[capacity];
    }

    public FitColumnSource Source { get; }

    /// <summary>Developer data index (developer columns only).</summary>
    public byte DeveloperDataIndex { get; }

    /// <summary>Native field number (native columns) or field definition number (developer columns).</summary>
    public byte FieldNumber { get; }

    /// <summary>The field_description of a developer column (its name, units, base type, native mapping).</summary>
    public FitFieldDescription? Description { get; internal set; }

    /// <summary>Values, one per record row; valid length is <see cref="FitRecordColumns.Count"/>.</summary>
    public float[] Values { get; internal set; }

    /// <summary>"index:number" for developer columns, "native:N" for native ones.</summary>
    public string Key => Source == FitColumnSource.Developer ? $"{DeveloperDataIndex}:{FieldNumber}" : $"native:{FieldNumber}";

    public override string ToString() => $"{Key} {Description?.Name}";
}

/// <summary>
/// Record messages in columnar form: one row per record message, in file order. Fixed columns are in
/// real units with NaN where a record lacks the value (power W, heart rate bpm, cadence rpm, speed m/s
/// from speed or enhanced_speed, distance m).
/// </summary>
public sealed class FitRecordColumns
{
    public int Count { get; internal set; }

    /// <summary>
    /// FIT seconds (since 1989-12-31 UTC); compressed timestamps reconstructed; a record without a
    /// timestamp of its own takes the last time seen before it in the file.
    /// </summary>
    public uint[] Timestamp { get; internal set; } = [];
    public float[] Power { get; internal set; } = [];
    public float[] HeartRate { get; internal set; } = [];
    public float[] Cadence { get; internal set; } = [];
    public float[] Speed { get; internal set; } = [];
    public float[] Distance { get; internal set; } = [];

    /// <summary>Native 54-59 columns present in the file, then numeric developer columns of records.</summary>
    public IReadOnlyList<FitColumn> Columns => ColumnList;

    internal List<FitColumn> ColumnList { get; } = [];

    /// <summary>The column of native field <paramref name="number"/>, or null.</summary>
    public FitColumn? Native(byte number) =>
        ColumnList.FirstOrDefault(c => c.Source == FitColumnSource.Native && c.FieldNumber == number);
}

/// <summary>The columnar decode of a ride: record columns plus every other message via the message API.</summary>
public sealed class FitRide
{
    private readonly Func<IReadOnlyList<FitMessage>> _materialize;
    private IReadOnlyList<FitMessage>? _messages;

    internal FitRide(FitRecordColumns records, Func<IReadOnlyList<FitMessage>> messages, IReadOnlyList<FitPart> parts,
        FitDamage? damage, IReadOnlyList<FitDeveloperDataId> applications, IReadOnlyList<FitFieldDescription> descriptions)
    {
        Records = records;
        _materialize = messages;
        Parts = parts;
        Damage = damage;
        DeveloperDataIds = applications;
        FieldDescriptions = descriptions;
    }

    public FitRecordColumns Records { get; }

    /// <summary>
    /// Every data message except records (file_id, device_info, event, lap, session, 206, 207, ...), in
    /// file order. Their bytes are kept during decoding; the message objects are built on first access,
    /// so a caller that needs only the columns pays nothing for, say, thousands of hrv messages.
    /// </summary>
    public IReadOnlyList<FitMessage> Messages => LazyInitializer.EnsureInitialized(ref _messages, _materialize);

    public IReadOnlyList<FitPart> Parts { get; }
    public FitDamage? Damage { get; }
    public IReadOnlyList<FitDeveloperDataId> DeveloperDataIds { get; }
    public IReadOnlyList<FitFieldDescription> FieldDescriptions { get; }
}
