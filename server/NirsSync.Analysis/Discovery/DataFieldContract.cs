namespace NirsSync.Analysis;

/// <summary>
/// The C# side of the data field's FIT contract (docs/fit-fields.md; the Monkey C side is connectiq's FitContract.mc):
/// the application id, the developer field numbers and names per sensor slot (1 or 2). Muscle and side codes are the
/// values of <see cref="Muscle"/> and <see cref="Side"/>. A test reads docs/fit-fields.md and checks every value here.
/// </summary>
public static class DataFieldContract
{
    /// <summary>The data field's manifest id, written as <c>developer_data_id.application_id</c>.</summary>
    public const string ApplicationId = "7a3c5e1f-2b4d-4c6e-9f80-a1b2c3d4e5f6";

    /// <summary>The 16 bytes of <see cref="ApplicationId"/> in the order the UUID is written.</summary>
    public static byte[] ApplicationIdBytes() => Convert.FromHexString(ApplicationId.Replace("-", "", StringComparison.Ordinal));

    public const int Slots = 2;

    /// <summary>Highest muscle code (<see cref="Muscle"/>) and side code (<see cref="Side"/>).</summary>
    public const int MaxMuscleCode = (int)Muscle.Deltoid;

    public const int MaxSideCode = (int)Side.Right;

    // Record fields: smo2_N = 2(N-1), thb_N = 2(N-1)+1. Lap fields from 10, session statistics from 30, six per slot.
    public static byte SmO2Field(int slot) => (byte)(2 * (Slot(slot) - 1));

    public static byte THbField(int slot) => (byte)(SmO2Field(slot) + 1);

    public const byte FirstLapField = 10;

    public const byte FirstSessionStatisticField = 30;

    /// <summary>Session fields muscle_N, side_N, device_N: 50-52 for slot 1, 53-55 for slot 2.</summary>
    public static byte MuscleField(int slot) => (byte)(50 + 3 * (Slot(slot) - 1));

    public static byte SideField(int slot) => (byte)(MuscleField(slot) + 1);

    public static byte DeviceField(int slot) => (byte)(MuscleField(slot) + 2);

    public static string SmO2Name(int slot) => $"smo2_{Slot(slot)}";

    public static string THbName(int slot) => $"thb_{Slot(slot)}";

    public static string MuscleName(int slot) => $"muscle_{Slot(slot)}";

    public static string SideName(int slot) => $"side_{Slot(slot)}";

    public static string DeviceName(int slot) => $"device_{Slot(slot)}";

    /// <summary>The slot whose SmO2 or tHb record field this is (name and number must both match), else null.</summary>
    public static int? SlotOfRecordField(string? name, int number)
    {
        for (var slot = 1; slot <= Slots; slot++)
            if ((name == SmO2Name(slot) && number == SmO2Field(slot)) || (name == THbName(slot) && number == THbField(slot)))
                return slot;
        return null;
    }

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
    public const double AssessmentSmO2Scale = 10, AssessmentTHbScale = 100;

    /// <summary>Sites an assessment can hold.</summary>
    public const int MaxAssessmentSites = 8;

    private static int Slot(int slot) => slot is >= 1 and <= Slots
        ? slot
        : throw new ArgumentOutOfRangeException(nameof(slot), slot, "the data field has sensor slots 1 and 2");
}
