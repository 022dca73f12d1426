namespace NirsSync.Analysis;

/// <summary>Muscle codes shared with the Connect IQ data field (docs/fit-fields.md, <c>muscle_N</c>).</summary>
public enum Muscle : byte
{
    Unknown = 0,
    VastusLateralis = 1,
    VastusMedialis = 2,
    RectusFemoris = 3,
    BicepsFemoris = 4,
    Semitendinosus = 5,
    GastrocnemiusMedialHead = 6,
    GastrocnemiusLateralHead = 7,
    TibialisAnterior = 8,
    GluteusMaximus = 9,
    GluteusMedius = 10,
    Deltoid = 11,
}

/// <summary>Side codes shared with the Connect IQ data field (<c>side_N</c>).</summary>
public enum Side : byte
{
    Unknown = 0,
    Left = 1,
    Right = 2,
}

/// <summary>
/// A coarse body region, as FIT's body_location enum and free-text locations ("L. Quad") give it. It
/// cannot tell vastus lateralis from vastus medialis, so it is kept beside <see cref="Muscle"/>.
/// </summary>
public enum Region : byte
{
    Unknown = 0,
    Quadriceps,
    Hamstrings,
    Calf,
    Shin,
    Glutes,
    Shoulder,
    Other,
}

/// <summary>Where a channel's muscle and side came from, in order of precedence.</summary>
public enum IdentitySource : byte
{
    Unknown = 0,
    /// <summary>Our Connect IQ data field's session fields muscle_N / side_N.</summary>
    DataField,
    /// <summary>Location text in a field name, CIQ_device_info or device_info.sensor_position in the file.</summary>
    FileLocation,
    /// <summary>The athlete's sensor-to-muscle map supplied by the server.</summary>
    AthleteMap,
}

/// <summary>Facts about muscles: regions, names.</summary>
public static class Muscles
{
    /// <summary>The region a muscle belongs to.</summary>
    public static Region RegionOf(Muscle muscle) => muscle switch
    {
        Muscle.VastusLateralis or Muscle.VastusMedialis or Muscle.RectusFemoris => Region.Quadriceps,
        Muscle.BicepsFemoris or Muscle.Semitendinosus => Region.Hamstrings,
        Muscle.GastrocnemiusMedialHead or Muscle.GastrocnemiusLateralHead => Region.Calf,
        Muscle.TibialisAnterior => Region.Shin,
        Muscle.GluteusMaximus or Muscle.GluteusMedius => Region.Glutes,
        Muscle.Deltoid => Region.Shoulder,
        _ => Region.Unknown,
    };

    /// <summary>The muscle for a data-field code, or <see cref="Muscle.Unknown"/> for codes outside the table.</summary>
    public static Muscle FromCode(double? code) =>
        code is { } c && c >= 0 && c <= (double)Muscle.Deltoid && c == Math.Floor(c) ? (Muscle)(byte)c : Muscle.Unknown;

    /// <summary>The side for a data-field code, or <see cref="Side.Unknown"/>.</summary>
    public static Side SideFromCode(double? code) => code switch { 1 => Side.Left, 2 => Side.Right, _ => Side.Unknown };

    /// <summary>snake_case name used in JSON and the CLI ("vastus_lateralis", "left").</summary>
    public static string Name(Muscle muscle) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(muscle.ToString());

    /// <summary>snake_case side name.</summary>
    public static string Name(Side side) => side.ToString().ToLowerInvariant();

    /// <summary>
    /// Region and side of a FIT body_location / sensor_position code (0 left_leg .. 11 right_glute,
    /// 12+ torso and arms as far as NirsSync needs them).
    /// </summary>
    public static (Region Region, Side Side) FromBodyLocation(int code) => code switch
    {
        0 => (Region.Other, Side.Left),
        1 => (Region.Calf, Side.Left),
        2 => (Region.Shin, Side.Left),
        3 => (Region.Hamstrings, Side.Left),
        4 => (Region.Quadriceps, Side.Left),
        5 => (Region.Glutes, Side.Left),
        6 => (Region.Other, Side.Right),
        7 => (Region.Calf, Side.Right),
        8 => (Region.Shin, Side.Right),
        9 => (Region.Hamstrings, Side.Right),
        10 => (Region.Quadriceps, Side.Right),
        11 => (Region.Glutes, Side.Right),
        _ => (Region.Unknown, Side.Unknown),
    };
}
