namespace NirsSync.Data;

/// <summary>
/// A resting spot check: one sensor held on several muscles at rest, one reading per muscle and side. Posted through
/// the API or recorded by the data field's assessment mode (then <see cref="RideId"/> names the ride it came from).
/// </summary>
public sealed class SpotCheck
{
    public Guid Id { get; set; }
    public Guid AthleteId { get; set; }
    public DateTimeOffset TakenAt { get; set; }

    /// <summary>"rest" (the founding practice), "pre_exercise" or "post_exercise".</summary>
    public required string Condition { get; set; }
    public string? Note { get; set; }

    /// <summary>The sites as JSON: [{muscle, side, smo2, thb}] with muscle and side names.</summary>
    public required string EntriesJson { get; set; }

    /// <summary>"api" or "data_field".</summary>
    public required string Source { get; set; }

    /// <summary>The ride whose assessment-mode recording this check is; null for a posted check.</summary>
    public Guid? RideId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
