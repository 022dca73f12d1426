using Microsoft.EntityFrameworkCore;
using NirsSync.Data;

namespace NirsSync.Server.Auth;

/// <summary>The one place that decides whose data a viewer may see: athletes their own, coaches their linked athletes.</summary>
public sealed class AccessControl(NirsDbContext db)
{
    public IQueryable<Athlete> VisibleAthletes(Viewer viewer) => viewer switch
    {
        { AthleteId: { } id } => db.Athletes.AsNoTracking().Where(a => a.Id == id),
        { CoachId: { } coach } => db.Athletes.AsNoTracking().Where(a => a.CoachId == coach),
        _ => db.Athletes.AsNoTracking().Where(a => false),
    };

    public Task<bool> CanSeeAthleteAsync(Viewer viewer, Guid athleteId) =>
        VisibleAthletes(viewer).AnyAsync(a => a.Id == athleteId);

    /// <summary>Rides of athletes the viewer may see.</summary>
    public IQueryable<Ride> VisibleRides(Viewer viewer) =>
        db.Rides.AsNoTracking().Where(r => VisibleAthletes(viewer).Any(a => a.Id == r.AthleteId));

    public IQueryable<Upload> VisibleUploads(Viewer viewer) =>
        db.Uploads.AsNoTracking().Where(u => VisibleAthletes(viewer).Any(a => a.Id == u.AthleteId));
}
