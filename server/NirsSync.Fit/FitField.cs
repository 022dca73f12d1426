namespace NirsSync.Fit;

/// <summary>A field of a data message: its number, raw value and, where the profile knows it, its meaning.</summary>
public readonly struct FitField
{
    internal FitField(byte number, FitValue value, FitFieldProfile? profile)
    {
        Number = number;
        Value = value;
        Profile = profile;
    }

    public byte Number { get; }
    public FitValue Value { get; }

    /// <summary>Name, units, scale and offset from the profile subset, or null for an unknown field.</summary>
    public FitFieldProfile? Profile { get; }

    public string? Name => Profile?.Name;

    /// <summary>Element <paramref name="index"/> in profile units (raw / scale - offset), or null when invalid.</summary>
    public double? GetScaled(int index = 0) =>
        Value.GetDoubleOrNull(index) is { } raw ? raw / (Profile?.Scale ?? 1) - (Profile?.Offset ?? 0) : null;
}

/// <summary>A developer field of a data message, decoded with its field description.</summary>
public readonly struct FitDeveloperField
{
    internal FitDeveloperField(byte developerDataIndex, byte number, FitValue value, FitFieldDescription? description)
    {
        DeveloperDataIndex = developerDataIndex;
        Number = number;
        Value = value;
        Description = description;
    }

    public byte DeveloperDataIndex { get; }
    public byte Number { get; }

    /// <summary>The raw value, typed by the description's base type (bytes when no description was found).</summary>
    public FitValue Value { get; }

    /// <summary>The field_description that defined this field, or null when none preceded it.</summary>
    public FitFieldDescription? Description { get; }

    /// <summary>"index:number", the key used by <c>nirssync fit dump</c>.</summary>
    public string Key => $"{DeveloperDataIndex}:{Number}";

    /// <summary>Element in the description's units (raw / scale - offset), or null when invalid.</summary>
    public double? GetScaled(int index = 0)
    {
        if (Value.GetDoubleOrNull(index) is not { } raw) return null;
        var scale = Description?.Scale is { } s and not 0 ? s : 1;
        return raw / scale - (Description?.Offset ?? 0);
    }
}
