using Microsoft.EntityFrameworkCore;
using NirsSync.Analysis;
using NirsSync.Data;
using NirsSync.Data.Documents;

namespace NirsSync.Server.Ingest;

/// <summary>
/// The spot check of a ride recorded in the data field's assessment mode: created with the ride, replaced when the ride
/// is re-analysed, in the caller's transaction (so a ride is never stored without its check or the other way round).
/// </summary>
public static class AssessmentSpotChecks
{
    /// <param name="newRide">The ride is being created in this transaction: it has no check yet (nothing to look up).</param>
    public static async Task StoreAsync(NirsDbContext db, Guid athleteId, Guid rideId, RestAssessment? assessment, DateTimeOffset now,
        bool newRide = false)
    {
        if (newRide && assessment is null) return;
        var existing = newRide ? null : await db.SpotChecks.FirstOrDefaultAsync(c => c.RideId == rideId);
        if (assessment is null)
        {
            if (existing is not null) db.SpotChecks.Remove(existing);
            return;
        }
        var check = existing ?? new SpotCheck
        {
            Id = Guid.CreateVersion7(), AthleteId = athleteId, RideId = rideId, Source = "data_field", Condition = "rest",
            EntriesJson = "[]", CreatedAt = now,
        };
        check.TakenAt = assessment.TakenAt;
        check.EntriesJson = SpotCheckDocument.Serialize(SpotCheckDocument.FromSites(assessment.Sites));
        var note = assessment.Notes.Count == 0 ? "recorded by the data field's assessment mode"
            : "recorded by the data field's assessment mode; " + string.Join("; ", assessment.Notes);
        check.Note = note.Length <= SpotCheckLimits.NoteLength ? note : note[..SpotCheckLimits.NoteLength];
        if (existing is null) db.SpotChecks.Add(check);
    }
}
