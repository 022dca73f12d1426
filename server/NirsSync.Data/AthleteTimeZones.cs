namespace NirsSync.Data;

/// <summary>The time zone an athlete's ISO weeks are counted in: an IANA id the system knows.</summary>
public static class AthleteTimeZones
{
    public const string Utc = "UTC";
    public const int MaxLength = 64;

    /// <summary>Null when <paramref name="id"/> names a time zone of this system, else what is wrong with it.</summary>
    public static string? Validate(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return "the time zone is empty; give an IANA id such as Europe/Berlin";
        if (id.Length > MaxLength) return $"the time zone '{id[..MaxLength]}...' is longer than {MaxLength} characters";
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return null;
        }
        catch (TimeZoneNotFoundException)
        {
            return $"unknown time zone '{id}'; give an IANA id such as Europe/Berlin";
        }
        catch (InvalidTimeZoneException)
        {
            return $"the time zone '{id}' is damaged on this system";
        }
    }

    /// <summary>The zone of a stored (validated) id.</summary>
    public static TimeZoneInfo Find(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
