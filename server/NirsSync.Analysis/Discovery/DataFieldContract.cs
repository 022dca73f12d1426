using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>
/// The C# side of the data field's FIT contract (docs/fit-fields.md; the Monkey C side is connectiq's FitContract.mc):
/// the application id and every developer field (number, name, message, base type, units, scale) per sensor slot 1-4,
/// the lap fields, the 20-bit device numbers and the resting-assessment record fields. Muscle and side codes are the
/// values of <see cref="Muscle"/> and <see cref="Side"/>. A test reads docs/fit-fields.md and checks every value here.
/// </summary>
public static class DataFieldContract
{
    /// <summary>The data field's manifest id, written as <c>developer_data_id.application_id</c>.</summary>
    public const string ApplicationId = "7a3c5e1f-2b4d-4c6e-9f80-a1b2c3d4e5f6";

    /// <summary>The 16 bytes of <see cref="ApplicationId"/> in the order the UUID is written.</summary>
    public static byte[] ApplicationIdBytes() => Convert.FromHexString(ApplicationId.Replace("-", "", StringComparison.Ordinal));

    /// <summary>Sensor slots the field records: 1 to 4.</summary>
    public const int Slots = 4;

    /// <summary>
    /// Slots 1 to FullSlots have float32 record values, lap and session statistics and a session identity with a
    /// device number; the others only uint16 record values (scaled like the native fields) and muscle and side in laps.
    /// </summary>
    public const int FullSlots = 2;

    /// <summary>Highest muscle code (<see cref="Muscle"/>) and side code (<see cref="Side"/>).</summary>
    public const int MaxMuscleCode = (int)Muscle.Deltoid;

    public const int MaxSideCode = (int)Side.Right;

    /// <summary>Scale of a uint16 SmO2 value (% x10) and of a uint16 tHb value (g/dL x100), as the native fields 57/54.</summary>
    public const double IntegerSmO2Scale = 10;

    public const double IntegerTHbScale = 100;

    /// <summary>Developer data a data field may write per message.</summary>
    public const int BudgetBytes = 32;

    // Record fields: smo2_N = 2(N-1), thb_N = 2(N-1)+1. Lap statistics from 10, session statistics from 30, six per full slot.
    public static byte SmO2Field(int slot) => (byte)(2 * (Slot(slot) - 1));

    public static byte THbField(int slot) => (byte)(SmO2Field(slot) + 1);

    /// <summary>True for slots with float32 record values, statistics, a session identity and a device number (1 and 2).</summary>
    public static bool IsFullSlot(int slot) => Slot(slot) <= FullSlots;

    /// <summary>Base type of a slot's record values: float32 in real units (slots 1-2), uint16 scaled (slots 3-4).</summary>
    public static FitBaseType RecordBaseType(int slot) => IsFullSlot(slot) ? FitBaseType.Float32 : FitBaseType.UInt16;

    /// <summary>Raw value / scale = real units: 1 for the float32 slots, 10 for SmO2 and 100 for tHb of the uint16 slots.</summary>
    public static double SmO2Scale(int slot) => IsFullSlot(slot) ? 1 : IntegerSmO2Scale;

    public static double THbScale(int slot) => IsFullSlot(slot) ? 1 : IntegerTHbScale;

    public const byte FirstLapField = 10;

    public const byte FirstSessionStatisticField = 30;

    /// <summary>The six statistics per full slot, in field order (lap_&lt;name&gt;_N from 10, ses_&lt;name&gt;_N from 30).</summary>
    public static IReadOnlyList<string> StatisticNames { get; } = ["smo2_avg", "smo2_min", "smo2_max", "thb_avg", "thb_min", "thb_max"];

    public static byte LapStatisticField(int slot, int statistic) => (byte)(FirstLapField + Statistic(slot, statistic));

    public static byte SessionStatisticField(int slot, int statistic) => (byte)(FirstSessionStatisticField + Statistic(slot, statistic));

    /// <summary>
    /// The message carrying a slot's muscle_N and side_N (and device_N): the session for slots 1-2, every lap for 3-4
    /// (the session's 32 bytes are full).
    /// </summary>
    public static ushort IdentityMessage(int slot) => IsFullSlot(slot) ? FitProfile.Session : FitProfile.Lap;

    /// <summary>muscle_N: session field 50 (slot 1) or 53 (slot 2); lap field 24 (slot 3) or 26 (slot 4).</summary>
    public static byte MuscleField(int slot) => IsFullSlot(slot) ? (byte)(50 + 3 * (slot - 1)) : (byte)(24 + 2 * (slot - FullSlots - 1));

    /// <summary>side_N follows muscle_N in the same message.</summary>
    public static byte SideField(int slot) => (byte)(MuscleField(slot) + 1);

    /// <summary>Session field device_N (bits 0-15 of the ANT device number): 52 for slot 1, 55 for slot 2. Slots 3-4 have none.</summary>
    public static byte DeviceField(int slot) => IsFullSlot(slot)
        ? (byte)(MuscleField(slot) + 2)
        : throw new ArgumentOutOfRangeException(nameof(slot), slot, "sensors 3 and 4 record no device number");

    /// <summary>Lap field device_hi_N (bits 16-19 of an ANT+ extended device number): 22 for slot 1, 23 for slot 2.</summary>
    public static byte DeviceHighField(int slot) => IsFullSlot(slot)
        ? (byte)(22 + slot - 1)
        : throw new ArgumentOutOfRangeException(nameof(slot), slot, "sensors 3 and 4 record no device number");

    /// <summary>The full (up to 20-bit) device number: device_N + 65536 x device_hi_N (a missing device_hi_N counts as 0).</summary>
    public static uint FullDeviceNumber(uint device, uint? deviceHigh) => device + 65536u * ((deviceHigh ?? 0) & 0x0F);

    public static string SmO2Name(int slot) => $"smo2_{Slot(slot)}";

    public static string THbName(int slot) => $"thb_{Slot(slot)}";

    public static string MuscleName(int slot) => $"muscle_{Slot(slot)}";

    public static string SideName(int slot) => $"side_{Slot(slot)}";

    public static string DeviceName(int slot) => IsFullSlot(slot) ? $"device_{slot}" : throw new ArgumentOutOfRangeException(nameof(slot), slot, "sensors 3 and 4 record no device number");

    public static string DeviceHighName(int slot) => IsFullSlot(slot) ? $"device_hi_{slot}" : throw new ArgumentOutOfRangeException(nameof(slot), slot, "sensors 3 and 4 record no device number");

    // Resting assessment (spot check) record fields: not channels (docs/fit-fields.md, "Resting assessment").

    /// <summary>Record field: number (1-8) of the latest site of a resting assessment; 0 running, 0xFF outside assessment mode.</summary>
    public const byte AssessmentSiteField = 60;

    /// <summary>Record field: muscle code of that site.</summary>
    public const byte AssessmentMuscleField = 61;

    /// <summary>Record field: side code of that site.</summary>
    public const byte AssessmentSideField = 62;

    /// <summary>Record field: that site's SmO2, uint16 % x 10.</summary>
    public const byte AssessmentSmO2Field = 63;

    /// <summary>Record field: that site's tHb, uint16 g/dL x 100.</summary>
    public const byte AssessmentTHbField = 64;

    /// <summary>Scale of the assessment SmO2 (x10) and tHb (x100) fields.</summary>
    public const double AssessmentSmO2Scale = IntegerSmO2Scale, AssessmentTHbScale = IntegerTHbScale;

    /// <summary>Sites an assessment can hold.</summary>
    public const int MaxAssessmentSites = 8;

    /// <summary>The slot whose SmO2 or tHb record field this is (name and number must both match), else null.</summary>
    public static int? SlotOfRecordField(string? name, int number)
    {
        for (var slot = 1; slot <= Slots; slot++)
            if ((name == SmO2Name(slot) && number == SmO2Field(slot)) || (name == THbName(slot) && number == THbField(slot)))
                return slot;
        return null;
    }

    /// <summary>One developer field of the contract.</summary>
    /// <param name="Slot">The sensor slot (1-4) it belongs to, 0 for the assessment fields.</param>
    /// <param name="Scale">Raw value / scale = value in <paramref name="Units"/> (1 for floats and codes).</param>
    public sealed record Field(byte Number, string Name, ushort Message, FitBaseType BaseType, string Units, double Scale, int Slot);

    /// <summary>Every field of the contract, record then lap then session, each in field number order.</summary>
    public static IReadOnlyList<Field> Fields { get; } = BuildFields();

    /// <summary>Bytes of developer data the contract's fields put into one message of type <paramref name="message"/>.</summary>
    public static int BytesPerMessage(ushort message) => Fields.Where(f => f.Message == message).Sum(f => f.BaseType switch
    {
        FitBaseType.Float32 => 4,
        FitBaseType.UInt16 => 2,
        _ => 1,
    });

    private static List<Field> BuildFields()
    {
        var fields = new List<Field>();
        const ushort record = FitProfile.Record, lap = FitProfile.Lap, session = FitProfile.Session;
        for (var slot = 1; slot <= Slots; slot++)
        {
            fields.Add(new Field(SmO2Field(slot), SmO2Name(slot), record, RecordBaseType(slot), "%", SmO2Scale(slot), slot));
            fields.Add(new Field(THbField(slot), THbName(slot), record, RecordBaseType(slot), "g/dL", THbScale(slot), slot));
        }
        fields.Add(new Field(AssessmentSiteField, "asmt_site", record, FitBaseType.UInt8, "", 1, 0));
        fields.Add(new Field(AssessmentMuscleField, "asmt_muscle", record, FitBaseType.UInt8, "", 1, 0));
        fields.Add(new Field(AssessmentSideField, "asmt_side", record, FitBaseType.UInt8, "", 1, 0));
        fields.Add(new Field(AssessmentSmO2Field, "asmt_sat", record, FitBaseType.UInt16, "%", AssessmentSmO2Scale, 0));
        fields.Add(new Field(AssessmentTHbField, "asmt_hb", record, FitBaseType.UInt16, "g/dL", AssessmentTHbScale, 0));
        foreach (var (message, prefix) in new[] { (lap, "lap"), (session, "ses") })
            for (var slot = 1; slot <= FullSlots; slot++)
                for (var k = 0; k < StatisticNames.Count; k++)
                {
                    var smo2 = k < 3;
                    var number = message == lap ? LapStatisticField(slot, k) : SessionStatisticField(slot, k);
                    fields.Add(new Field(number, $"{prefix}_{StatisticNames[k]}_{slot}", message, FitBaseType.UInt16,
                        smo2 ? "%" : "g/dL", smo2 ? IntegerSmO2Scale : IntegerTHbScale, slot));
                }
        for (var slot = 1; slot <= FullSlots; slot++)
            fields.Add(new Field(DeviceHighField(slot), DeviceHighName(slot), lap, FitBaseType.UInt8, "", 1, slot));
        for (var slot = 1; slot <= Slots; slot++)
        {
            fields.Add(new Field(MuscleField(slot), MuscleName(slot), IdentityMessage(slot), FitBaseType.UInt8, "", 1, slot));
            fields.Add(new Field(SideField(slot), SideName(slot), IdentityMessage(slot), FitBaseType.UInt8, "", 1, slot));
            if (IsFullSlot(slot)) fields.Add(new Field(DeviceField(slot), DeviceName(slot), session, FitBaseType.UInt16, "", 1, slot));
        }
        ushort[] order = [record, lap, session];
        return fields.OrderBy(f => Array.IndexOf(order, f.Message)).ThenBy(f => f.Number).ToList();
    }

    private static int Statistic(int slot, int statistic)
    {
        if (!IsFullSlot(slot))
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "sensors 3 and 4 have no lap or session statistics");
        if (statistic < 0 || statistic >= StatisticNames.Count)
            throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "statistics are numbered 0-5");
        return 6 * (slot - 1) + statistic;
    }

    private static int Slot(int slot) => slot is >= 1 and <= Slots
        ? slot
        : throw new ArgumentOutOfRangeException(nameof(slot), slot, "the data field has sensor slots 1 to 4");
}
