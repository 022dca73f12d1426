using Microsoft.EntityFrameworkCore;
using NirsSync.Data.Accounts;
using NirsSync.Data;

namespace NirsSync.Data;

/// <summary>Links and unlinks athletes and Garmin Connect users; used by the admin command and the API.</summary>
public sealed class GarminLinks(NirsDbContext db, WriteGate gate, TimeProvider clock, GarminTokenProtector protector)
{
    public async Task<GarminLink> LinkAsync(Guid athleteId, string garminUserId, string accessToken,
        CancellationToken cancellationToken = default)
    {
        garminUserId = garminUserId.Trim();
        if (garminUserId.Length is 0 or > 128)
            throw new AccountException("the Garmin user id must be 1 to 128 characters");
        if (string.IsNullOrWhiteSpace(accessToken)) throw new AccountException("the Garmin access token is empty");
        if (!await db.Athletes.AnyAsync(a => a.Id == athleteId, cancellationToken))
            throw new AccountException($"no athlete with id {athleteId}");
        var links = db.Set<GarminLink>();
        if (await links.AnyAsync(l => l.GarminUserId == garminUserId && l.AthleteId != athleteId, cancellationToken))
            throw new AccountException($"Garmin user {garminUserId} is already linked to another athlete");
        var link = await links.FirstOrDefaultAsync(l => l.AthleteId == athleteId, cancellationToken);
        if (link is null)
        {
            link = new GarminLink { AthleteId = athleteId, GarminUserId = garminUserId, AccessToken = "" };
            links.Add(link);
        }
        link.GarminUserId = garminUserId;
        link.AccessToken = protector.Protect(accessToken.Trim());
        link.LinkedAt = clock.GetUtcNow();
        await gate.RunAsync(() => db.SaveChangesAsync(cancellationToken), upload: false, cancellationToken);
        return link;
    }

    /// <summary>Encrypts the access tokens of links stored before encryption; the number of rows changed.</summary>
    public async Task<int> ProtectPlainTokensAsync(CancellationToken cancellationToken = default)
    {
        var plain = await db.Set<GarminLink>().Where(l => !l.AccessToken.StartsWith(GarminTokenProtector.Prefix))
            .ToListAsync(cancellationToken);
        if (plain.Count == 0) return 0;
        foreach (var link in plain) link.AccessToken = protector.Protect(link.AccessToken);
        await gate.RunAsync(() => db.SaveChangesAsync(cancellationToken), upload: false, cancellationToken);
        return plain.Count;
    }

    /// <summary>Removes the link of a Garmin user (a deregistration); the number of links removed.</summary>
    public Task<int> UnlinkGarminUserAsync(string garminUserId, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => db.Set<GarminLink>().Where(l => l.GarminUserId == garminUserId)
            .ExecuteDeleteAsync(cancellationToken), upload: false, cancellationToken);

    public Task<int> UnlinkAthleteAsync(Guid athleteId, CancellationToken cancellationToken = default) =>
        gate.RunAsync(() => db.Set<GarminLink>().Where(l => l.AthleteId == athleteId)
            .ExecuteDeleteAsync(cancellationToken), upload: false, cancellationToken);
}
