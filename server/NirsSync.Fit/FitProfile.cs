namespace NirsSync.Fit;

/// <summary>Profile facts for one field: name, units, scale and offset (value = raw / scale - offset).</summary>
public sealed record FitFieldProfile(byte Number, string Name, string? Units = null, double Scale = 1, double Offset = 0,
    bool IsArray = false);

/// <summary>Profile facts for one message.</summary>
public sealed class FitMessageProfile
{
    private readonly Dictionary<byte, FitFieldProfile> _fields;

    internal FitMessageProfile(ushort number, string name, params FitFieldProfile[] fields)
    {
        Number = number;
        Name = name;
        _fields = fields.ToDictionary(f => f.Number);
    }

    public ushort Number { get; }
    public string Name { get; }
    public IReadOnlyCollection<FitFieldProfile> Fields => _fields.Values;

    public FitFieldProfile? Field(byte number) => _fields.GetValueOrDefault(number);
}

/// <summary>
/// The subset of Garmin's FIT profile (21.x) that NirsSync uses: names, units, scale and offset of
/// file_id, device_info, event, record, lap, session, activity, sport, developer_data_id,
/// field_description and every muscle-oxygen native field, plus the names of other common messages.
/// Anything not listed is still decoded and kept under its number.
/// </summary>
public static class FitProfile
{
    public const ushort FileId = 0;
    public const ushort Sport = 12;
    public const ushort Session = 18;
    public const ushort Lap = 19;
    public const ushort Record = 20;
    public const ushort Event = 21;
    public const ushort DeviceInfo = 23;
    public const ushort Activity = 34;
    public const ushort FieldDescription = 206;
    public const ushort DeveloperDataId = 207;

    /// <summary>Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).</summary>
    public const long FitEpochUnixSeconds = 631065600;

    private static FitFieldProfile F(byte n, string name, string? units = null, double scale = 1, double offset = 0,
        bool array = false) => new(n, name, units, scale, offset, array);

    private static readonly FitFieldProfile Timestamp = F(253, "timestamp", "s");
    private static readonly FitFieldProfile MessageIndex = F(254, "message_index");

    private static readonly Dictionary<ushort, FitMessageProfile> Messages = new FitMessageProfile[]
    {
        new(FileId, "file_id", F(0, "type"), F(1, "manufacturer"), F(2, "product"), F(3, "serial_number"),
            F(4, "time_created", "s"), F(5, "number"), F(8, "product_name")),
        new(2, "device_settings"),
        new(3, "user_profile"),
        new(7, "zones_target"),
        new(Sport, "sport", F(0, "sport"), F(1, "sub_sport"), F(3, "name")),
        new(Session, "session", Timestamp, MessageIndex, F(0, "event"), F(1, "event_type"), F(2, "start_time", "s"),
            F(5, "sport"), F(6, "sub_sport"), F(7, "total_elapsed_time", "s", 1000), F(8, "total_timer_time", "s", 1000),
            F(9, "total_distance", "m", 100), F(11, "total_calories", "kcal"), F(14, "avg_speed", "m/s", 1000),
            F(15, "max_speed", "m/s", 1000), F(16, "avg_heart_rate", "bpm"), F(17, "max_heart_rate", "bpm"),
            F(18, "avg_cadence", "rpm"), F(19, "max_cadence", "rpm"), F(20, "avg_power", "watts"),
            F(21, "max_power", "watts"), F(25, "first_lap_index"), F(26, "num_laps"), F(34, "normalized_power", "watts"),
            F(95, "avg_total_hemoglobin_conc", "g/dL", 100, array: true),
            F(96, "min_total_hemoglobin_conc", "g/dL", 100, array: true),
            F(97, "max_total_hemoglobin_conc", "g/dL", 100, array: true),
            F(98, "avg_saturated_hemoglobin_percent", "%", 10, array: true),
            F(99, "min_saturated_hemoglobin_percent", "%", 10, array: true),
            F(100, "max_saturated_hemoglobin_percent", "%", 10, array: true)),
        new(Lap, "lap", Timestamp, MessageIndex, F(0, "event"), F(1, "event_type"), F(2, "start_time", "s"),
            F(7, "total_elapsed_time", "s", 1000), F(8, "total_timer_time", "s", 1000), F(9, "total_distance", "m", 100),
            F(11, "total_calories", "kcal"), F(13, "avg_speed", "m/s", 1000), F(14, "max_speed", "m/s", 1000),
            F(15, "avg_heart_rate", "bpm"), F(16, "max_heart_rate", "bpm"), F(17, "avg_cadence", "rpm"),
            F(18, "max_cadence", "rpm"), F(19, "avg_power", "watts"), F(20, "max_power", "watts"),
            F(24, "lap_trigger"), F(25, "sport"), F(33, "normalized_power", "watts"),
            F(84, "avg_total_hemoglobin_conc", "g/dL", 100, array: true),
            F(85, "min_total_hemoglobin_conc", "g/dL", 100, array: true),
            F(86, "max_total_hemoglobin_conc", "g/dL", 100, array: true),
            F(87, "avg_saturated_hemoglobin_percent", "%", 10, array: true),
            F(88, "min_saturated_hemoglobin_percent", "%", 10, array: true),
            F(89, "max_saturated_hemoglobin_percent", "%", 10, array: true)),
        new(Record, "record", Timestamp, F(0, "position_lat", "semicircles"), F(1, "position_long", "semicircles"),
            F(2, "altitude", "m", 5, 500), F(3, "heart_rate", "bpm"), F(4, "cadence", "rpm"),
            F(5, "distance", "m", 100), F(6, "speed", "m/s", 1000), F(7, "power", "watts"),
            F(13, "temperature", "C"), F(53, "fractional_cadence", "rpm", 128),
            F(54, "total_hemoglobin_conc", "g/dL", 100), F(55, "total_hemoglobin_conc_min", "g/dL", 100),
            F(56, "total_hemoglobin_conc_max", "g/dL", 100), F(57, "saturated_hemoglobin_percent", "%", 10),
            F(58, "saturated_hemoglobin_percent_min", "%", 10), F(59, "saturated_hemoglobin_percent_max", "%", 10),
            F(73, "enhanced_speed", "m/s", 1000), F(78, "enhanced_altitude", "m", 5, 500)),
        new(Event, "event", Timestamp, F(0, "event"), F(1, "event_type"), F(2, "data16"), F(3, "data"),
            F(4, "event_group")),
        new(DeviceInfo, "device_info", Timestamp, F(0, "device_index"), F(1, "device_type"), F(2, "manufacturer"),
            F(3, "serial_number"), F(4, "product"), F(5, "software_version", null, 100), F(6, "hardware_version"),
            F(10, "battery_voltage", "V", 256), F(11, "battery_status"), F(18, "sensor_position"),
            F(19, "descriptor"), F(20, "ant_transmission_type"), F(21, "ant_device_number"), F(22, "ant_network"),
            F(25, "source_type"), F(27, "product_name"), F(32, "battery_level", "%")),
        new(Activity, "activity", Timestamp, F(0, "total_timer_time", "s", 1000), F(1, "num_sessions"), F(2, "type"),
            F(3, "event"), F(4, "event_type"), F(5, "local_timestamp", "s"), F(6, "event_group")),
        new(49, "file_creator", F(0, "software_version"), F(1, "hardware_version")),
        new(72, "training_file"),
        new(78, "hrv", F(0, "time", "s", 1000, array: true)),
        new(101, "length"),
        new(104, "battery"),
        new(132, "hr"),
        new(160, "gps_metadata"),
        new(216, "time_in_zone"),
        new(FieldDescription, "field_description", F(0, "developer_data_index"), F(1, "field_definition_number"),
            F(2, "fit_base_type_id"), F(3, "field_name"), F(4, "array"), F(5, "components"), F(6, "scale"),
            F(7, "offset"), F(8, "units"), F(9, "bits"), F(10, "accumulate"), F(13, "fit_base_unit_id"),
            F(14, "native_mesg_num"), F(15, "native_field_num")),
        new(DeveloperDataId, "developer_data_id", F(0, "developer_id", array: true), F(1, "application_id", array: true),
            F(2, "manufacturer_id"), F(3, "developer_data_index"), F(4, "application_version")),
    }.ToDictionary(m => m.Number);

    // Record fields of Garmin's full profile (21.x) and which of them are arrays: enough to read a record field
    // stored with more bytes than its type as Garmin's SDK does (one value for a scalar field, docs/fit-codec.md).
    private static readonly HashSet<byte> RecordFields =
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 18, 19, 28, 29, 30, 31, 32, 33, 39, 40, 41, 42, 43, 44, 45, 46,
        47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 62, 67, 68, 69, 70, 71, 72, 73, 78, 81, 82, 83, 84, 85, 87,
        91, 92, 93, 94, 95, 96, 97, 98, 99, 108, 114, 115, 116, 117, 118, 119, 120, 123, 124, 125, 126, 127, 129, 139, 253,
    ];

    private static readonly HashSet<byte> RecordArrayFields = [8, 17, 69, 70, 71, 72];

    /// <summary>
    /// True when the profile defines field <paramref name="field"/> of <paramref name="message"/> as one value (not an
    /// array), false when as an array, null when the field is not known here (then its size decides).
    /// </summary>
    public static bool? IsScalar(ushort message, byte field)
    {
        if (Field(message, field) is { } known) return !known.IsArray;
        if (message == Record && RecordFields.Contains(field)) return !RecordArrayFields.Contains(field);
        return null;
    }

    /// <summary>The profile of a global message number, or null when it is not in the subset.</summary>
    public static FitMessageProfile? Message(ushort number) => Messages.GetValueOrDefault(number);

    /// <summary>The message's profile name, or null.</summary>
    public static string? MessageName(ushort number) => Messages.GetValueOrDefault(number)?.Name;

    /// <summary>The profile of a field, or null.</summary>
    public static FitFieldProfile? Field(ushort message, byte field) => Messages.GetValueOrDefault(message)?.Field(field);

    /// <summary>Converts a FIT timestamp (seconds since 1989-12-31 UTC) to a date.</summary>
    public static DateTimeOffset ToDateTime(uint fitSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(FitEpochUnixSeconds + fitSeconds);

    /// <summary>Converts a date to a FIT timestamp.</summary>
    public static uint ToFitTime(DateTimeOffset time) => checked((uint)(time.ToUnixTimeSeconds() - FitEpochUnixSeconds));
}
