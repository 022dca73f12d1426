using System.Text.RegularExpressions;

namespace NirsSync.Analysis;

/// <summary>A muscle identity read from one source.</summary>
internal readonly record struct Placement(Muscle Muscle, Region Region, Side Side)
{
    public bool IsEmpty => Muscle == Muscle.Unknown && Region == Region.Unknown && Side == Side.Unknown;
}

/// <summary>
/// Reads a muscle and side from free location text as apps write it in field names
/// ("1st SmO2 Sensor 665 on L. Quad", "VL right", "Gastroc med. L").
/// </summary>
internal static partial class LocationText
{
    private static readonly (Regex Pattern, Muscle Muscle)[] MusclePatterns =
    [
        (new(@"vastus\s*lat|\bvl\b", RegexOptions.IgnoreCase), Muscle.VastusLateralis),
        (new(@"vastus\s*med|\bvm\b|\bvmo\b", RegexOptions.IgnoreCase), Muscle.VastusMedialis),
        (new(@"rectus\s*fem|\brf\b", RegexOptions.IgnoreCase), Muscle.RectusFemoris),
        (new(@"biceps\s*fem|\bbf\b", RegexOptions.IgnoreCase), Muscle.BicepsFemoris),
        (new(@"semitend|\bst\b", RegexOptions.IgnoreCase), Muscle.Semitendinosus),
        (new(@"gastro\w*\.?\s*med|med\w*\.?\s*gastro|\bgm\b", RegexOptions.IgnoreCase), Muscle.GastrocnemiusMedialHead),
        (new(@"gastro\w*\.?\s*lat|lat\w*\.?\s*gastro|\bgl\b", RegexOptions.IgnoreCase), Muscle.GastrocnemiusLateralHead),
        (new(@"tib\w*\.?\s*ant|\bta\b", RegexOptions.IgnoreCase), Muscle.TibialisAnterior),
        (new(@"glut\w*\.?\s*max", RegexOptions.IgnoreCase), Muscle.GluteusMaximus),
        (new(@"glut\w*\.?\s*med", RegexOptions.IgnoreCase), Muscle.GluteusMedius),
        (new(@"deltoid", RegexOptions.IgnoreCase), Muscle.Deltoid),
    ];

    private static readonly (Regex Pattern, Region Region)[] RegionPatterns =
    [
        (new(@"quad", RegexOptions.IgnoreCase), Region.Quadriceps),
        (new(@"hamstring|\bham\b", RegexOptions.IgnoreCase), Region.Hamstrings),
        (new(@"calf|calves|gastro", RegexOptions.IgnoreCase), Region.Calf),
        (new(@"shin", RegexOptions.IgnoreCase), Region.Shin),
        (new(@"glute", RegexOptions.IgnoreCase), Region.Glutes),
        (new(@"shoulder|delt", RegexOptions.IgnoreCase), Region.Shoulder),
    ];

    [GeneratedRegex(@"\b(left|links|l)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LeftWord();

    [GeneratedRegex(@"\b(right|rechts|r)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RightWord();

    [GeneratedRegex(@"\bon\b\s+(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex AfterOn();

    [GeneratedRegex(@"sensor\s*#?\s*(\d{1,7})", RegexOptions.IgnoreCase)]
    private static partial Regex SensorNumber();

    /// <summary>The placement in <paramref name="text"/>; the part after " on " when there is one.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Placement, uint?)> Cache = new(StringComparer.Ordinal);

    /// <summary>Placement and sensor number of a name, cached (names repeat across rides).</summary>
    public static (Placement Placement, uint? Sensor) Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return default;
        if (Cache.TryGetValue(text, out var known)) return known;
        var result = (Parse(text), Sensor(text));
        if (Cache.Count < 10_000) Cache.TryAdd(text, result);
        return result;
    }

    public static Placement Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return default;
        var m = AfterOn().Match(text);
        var where = m.Success ? m.Groups[1].Value : text;
        var muscle = Muscle.Unknown;
        foreach (var (p, mu) in MusclePatterns)
            if (p.IsMatch(where)) { muscle = mu; break; }
        var region = muscle != Muscle.Unknown ? Muscles.RegionOf(muscle) : Region.Unknown;
        if (region == Region.Unknown)
            foreach (var (p, r) in RegionPatterns)
                if (p.IsMatch(where)) { region = r; break; }
        var left = LeftWord().IsMatch(where);
        var right = RightWord().IsMatch(where);
        var side = left == right ? Side.Unknown : left ? Side.Left : Side.Right;
        // A side alone (no muscle or region) in a name is too weak to call a placement.
        return muscle == Muscle.Unknown && region == Region.Unknown ? default : new Placement(muscle, region, side);
    }

    /// <summary>The ANT device number in a name ("Sensor 665"); 0 means not paired and gives null.</summary>
    public static uint? Sensor(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var m = SensorNumber().Match(text);
        return m.Success && uint.TryParse(m.Groups[1].Value, out var n) && n > 0 ? n : null;
    }
}
