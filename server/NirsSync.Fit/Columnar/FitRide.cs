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
/// While decoding, a column holds only the rows that have a value (see <see cref="ValueCount"/>); the
/// row-per-row array <see cref="Values"/> is made on first access.
/// </summary>
public sealed class FitColumn
{
    private readonly FitRecordColumns _owner;
    private float[]? _values;

    internal FitColumn(FitColumnSource source, byte developerDataIndex, byte fieldNumber,
        FitFieldDescription? description, FitRecordColumns owner)
    {
        Source = source;
        DeveloperDataIndex = developerDataIndex;
        FieldNumber = fieldNumber;
        Description = description;
        _owner = owner;
        Data = new ColumnValues(owner.Capacity);
    }

    internal ColumnValues Data { get; }

    /// <summary>Number of rows with a value (NaN written by the file counts as a value).</summary>
    public int ValueCount => Data.Count;

    public FitColumnSource Source { get; }

    /// <summary>Developer data index (developer columns only).</summary>
    public byte DeveloperDataIndex { get; }

    /// <summary>Native field number (native columns) or field definition number (developer columns).</summary>
    public byte FieldNumber { get; }

    /// <summary>The field_description of a developer column (its name, units, base type, native mapping).</summary>
    public FitFieldDescription? Description { get; internal set; }

    /// <summary>
    /// Values, one per record row, NaN where none; valid length is <see cref="FitRecordColumns.Count"/> (the
    /// array may be longer). Built on first access: 4 bytes per row, however few rows have a value.
    /// </summary>
    public float[] Values => _values ??= Data.Dense(_owner.Count);

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
    private float[]? _power, _heartRate, _cadence, _speed, _distance;

    public int Count { get; internal set; }

    /// <summary>
    /// FIT seconds (since 1989-12-31 UTC); compressed timestamps reconstructed; a record without a
    /// timestamp of its own takes the last time seen before it in the file.
    /// </summary>
    public uint[] Timestamp { get; internal set; } = [];

    // The fixed columns are kept like the others while decoding; each array is made on first access.
    public float[] Power => _power ??= PowerData.Dense(Count);
    public float[] HeartRate => _heartRate ??= HeartRateData.Dense(Count);
    public float[] Cadence => _cadence ??= CadenceData.Dense(Count);
    public float[] Speed => _speed ??= SpeedData.Dense(Count);
    public float[] Distance => _distance ??= DistanceData.Dense(Count);

    /// <summary>True when some record has a valid power value (so <see cref="Power"/> is worth building).</summary>
    public bool HasPower => PowerData.Count > 0;
    public bool HasHeartRate => HeartRateData.Count > 0;
    public bool HasCadence => CadenceData.Count > 0;
    public bool HasSpeed => SpeedData.Count > 0;
    public bool HasDistance => DistanceData.Count > 0;

    internal RowCapacity Capacity { get; } = new();
    internal ColumnValues PowerData { get; }
    internal ColumnValues HeartRateData { get; }
    internal ColumnValues CadenceData { get; }
    internal ColumnValues SpeedData { get; }
    internal ColumnValues DistanceData { get; }

    internal FitRecordColumns()
    {
        PowerData = new(Capacity);
        HeartRateData = new(Capacity);
        CadenceData = new(Capacity);
        SpeedData = new(Capacity);
        DistanceData = new(Capacity);
    }

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
    private readonly byte[] _input;
    private readonly FitDecodeOptions _options;
    private IReadOnlyList<FitMessage>? _messages;

    internal FitRide(FitRecordColumns records, byte[] input, FitDecodeOptions options, IReadOnlyList<FitPart> parts,
        FitDamage? damage, IReadOnlyList<FitDeveloperDataId> applications, IReadOnlyList<FitFieldDescription> descriptions)
    {
        Records = records;
        _input = input;
        _options = options;
        Parts = parts;
        Damage = damage;
        DeveloperDataIds = applications;
        FieldDescriptions = descriptions;
    }

    public FitRecordColumns Records { get; }

    /// <summary>Length in bytes of the input the ride was read from.</summary>
    public long InputLength => _input.Length;

    /// <summary>
    /// Every data message except records (file_id, device_info, event, lap, session, 206, 207, ...), in
    /// file order. Nothing is kept per message while decoding: the first access reads the input again and
    /// builds them, so a caller that needs only the columns pays nothing for, say, thousands of hrv
    /// messages. Values refer into the input array the ride was read from.
    /// </summary>
    public IReadOnlyList<FitMessage> Messages =>
        LazyInitializer.EnsureInitialized(ref _messages, () => MessagesOf(null));

    /// <summary>
    /// The non-record messages of the given global numbers (all when null), in file order, built by reading the
    /// input again; nothing is cached. Developer fields are typed by the descriptions in force where each
    /// message stands, as in <see cref="Messages"/>.
    /// </summary>
    public IReadOnlyList<FitMessage> MessagesOf(params ushort[]? globalNumbers)
    {
        var list = new List<FitMessage>();
        ForEachMessage(globalNumbers, list.Add);
        return list;
    }

    /// <summary>
    /// Calls <paramref name="action"/> with each non-record message of the given global numbers (all when null),
    /// in file order, without keeping them: the way to read, say, laps of a file with millions of messages in
    /// memory proportional to what the action keeps.
    /// </summary>
    public void ForEachMessage(ushort[]? globalNumbers, Action<FitMessage> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        FitColumnarReader.Replay(_input, _options, globalNumbers, action);
    }

    public IReadOnlyList<FitPart> Parts { get; }
    public FitDamage? Damage { get; }
    public IReadOnlyList<FitDeveloperDataId> DeveloperDataIds { get; }
    public IReadOnlyList<FitFieldDescription> FieldDescriptions { get; }
}
