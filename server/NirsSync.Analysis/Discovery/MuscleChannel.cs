using System.Text.Json.Serialization;

namespace NirsSync.Analysis;

/// <summary>
/// Identity of one muscle-oxygen channel (one physical sensor): its id, the sensor's ANT device number,
/// the muscle and side it sat on and where that came from, and the fields it was read from.
/// </summary>
/// <param name="Id">Stable within a ride: "native", "ours:N" for our data field's slot N, else the SmO2 (or tHb) field key "index:number".</param>
/// <param name="Label">Human label: the field name without quantity words.</param>
/// <param name="Sensor">ANT device number when known.</param>
/// <param name="Region">Coarse region (always set when <paramref name="Muscle"/> is).</param>
/// <param name="SmO2Field">Key of the field SmO2 was read from, null when the channel has no SmO2.</param>
/// <param name="THbField">Key of the field tHb was read from, null when absent.</param>
/// <param name="DuplicateFields">Keys of further fields found to carry the same sensor (merged in).</param>
/// <param name="Application">Application UUID of the developer data, when the file had one.</param>
public sealed record ChannelInfo(
    string Id,
    string Label,
    uint? Sensor,
    Muscle Muscle,
    Side Side,
    Region Region,
    IdentitySource Source,
    string? SmO2Field,
    string? THbField,
    IReadOnlyList<string> DuplicateFields,
    string? Application);

/// <summary>A discovered channel with its values in real units (SmO2 %, tHb g/dL), NaN where missing, before cleaning.</summary>
public sealed class MuscleChannel
{
    internal MuscleChannel(ChannelInfo info, float[]? smo2, float[]? thb)
    {
        Info = info;
        SmO2 = smo2;
        THb = thb;
    }

    public ChannelInfo Info { get; internal set; }

    [JsonIgnore] public float[]? SmO2 { get; }
    [JsonIgnore] public float[]? THb { get; }

    public override string ToString() => $"{Info.Id} {Info.Label} {Info.Muscle}/{Info.Side}";
}
