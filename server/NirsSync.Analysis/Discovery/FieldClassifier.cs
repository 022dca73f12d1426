using System.Text.RegularExpressions;
using NirsSync.Fit;

namespace NirsSync.Analysis;

/// <summary>What a record column measures.</summary>
internal enum Quantity : byte
{
    None,
    SmO2,
    THb,
}

/// <summary>
/// Classifies developer record fields (facts file section 3): by native_field_num first, then units,
/// base type and name; and groups fields of one app into sensors by their name with the quantity words
/// removed ("SmO2 Sensor 0 on X" and "THb Sensor 0 on X" are one sensor).
/// </summary>
internal static partial class FieldClassifier
{
    [GeneratedRegex(@"smo2|sm02|hemo\s*perc|saturat", RegexOptions.IgnoreCase)]
    private static partial Regex SmO2Name();

    [GeneratedRegex(@"o2hb|hhb|deoxy|oxyhem", RegexOptions.IgnoreCase)]
    private static partial Regex DerivedName();

    [GeneratedRegex(@"thb|hemo\s*conc|total\s*hem|hemoglobin", RegexOptions.IgnoreCase)]
    private static partial Regex THbName();

    [GeneratedRegex(@"smo2|sm02|thb|hemo\s*(perc|conc)|total\s*hemoglobin|hemoglobin|saturated|saturation|o2hb|hhb",
        RegexOptions.IgnoreCase)]
    private static partial Regex QuantityWords();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NonAlnum();

    // Descriptions repeat across rides (records compare by value), so classification is cached.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<FitFieldDescription, Quantity> Cache = new();

    public static Quantity Classify(FitFieldDescription d)
    {
        if (Cache.TryGetValue(d, out var known)) return known;
        var q = ClassifyUncached(d);
        if (Cache.Count < 10_000) Cache.TryAdd(d, q);
        return q;
    }

    private static Quantity ClassifyUncached(FitFieldDescription d)
    {
        if (d.NativeMessageNumber is { } msg && msg != FitProfile.Record) return Quantity.None;
        if (d.BaseType is FitBaseType.String or FitBaseType.Byte) return Quantity.None;
        switch (d.NativeFieldNumber)
        {
            case 57: return Quantity.SmO2;
            case 54: return Quantity.THb;
            case 55 or 56 or 58 or 59: return Quantity.None;
        }
        var name = d.Name ?? "";
        var units = (d.Units ?? "").Trim().ToLowerInvariant();
        if (DerivedName().IsMatch(name) && !SmO2Name().IsMatch(name)) return Quantity.None;
        var byName = SmO2Name().IsMatch(name) ? Quantity.SmO2 : THbName().IsMatch(name) ? Quantity.THb : Quantity.None;
        if (byName == Quantity.None) return Quantity.None;
        // Units beat a name: Garmin's sample reuses "HemoConc" names for percent fields.
        if (units == "%") return Quantity.SmO2;
        if (units is "g/dl" or "thb" or "g/l") return Quantity.THb;
        return byName;
    }

    /// <summary>The sensor label: the name without quantity words, lower case ("sensor 0 on location not set").</summary>
    public static string SensorLabel(string? name)
    {
        if (name is null) return "";
        if (Labels.TryGetValue(name, out var known)) return known;
        var label = SensorLabelUncached(name);
        if (Labels.Count < 10_000) Labels.TryAdd(name, label);
        return label;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Labels = new(StringComparer.Ordinal);

    private static string SensorLabelUncached(string? name)
    {
        var s = QuantityWords().Replace(name ?? "", " ").ToLowerInvariant();
        return NonAlnum().Replace(s, " ").Trim();
    }

    /// <summary>
    /// Factor from raw to real units. A scale in the description wins; integer fields mapped to native
    /// 57/54 without a scale are natively scaled (x10, x100); other integer fields are judged by their
    /// values (SmO2 above 100 or tHb above 40 cannot be real units); floats are real units.
    /// </summary>
    public static (double Scale, double Offset) Scaling(FitFieldDescription d, Quantity q, ReadOnlySpan<float> raw)
    {
        if (d.Scale is { } s && s > 1) return (s, d.Offset ?? 0);
        if (d.BaseType is FitBaseType.Float32 or FitBaseType.Float64) return (1, d.Offset ?? 0);
        var native = q == Quantity.SmO2 ? 10 : 100;
        if (d.NativeFieldNumber is 57 or 54) return (native, 0);
        var limit = q == Quantity.SmO2 ? 100f : 40f;
        var above = 0;
        var valid = 0;
        foreach (var v in raw)
        {
            if (float.IsNaN(v) || v == 0) continue;
            valid++;
            if (v > limit) above++;
        }
        return (valid > 0 && above * 2 > valid ? native : 1, 0);
    }
}
