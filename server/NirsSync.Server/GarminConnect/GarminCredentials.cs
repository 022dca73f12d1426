using Microsoft.EntityFrameworkCore;
using NirsSync.Data;

namespace NirsSync.Server.GarminConnect;

/// <summary>What the fetch job knows of an athlete's Garmin Connect authorisation.</summary>
public sealed record GarminCredentials(Guid AthleteId, string GarminUserId, string AccessToken);

/// <summary>Where athletes' Garmin credentials live; the database by default.</summary>
public interface IGarminCredentialStore
{
    /// <summary>The credentials of the athlete linked to <paramref name="garminUserId"/>, or null.</summary>
    Task<GarminCredentials?> FindByGarminUserAsync(string garminUserId, CancellationToken cancellationToken = default);
}

/// <summary>Authorises a request to Garmin's API with an athlete's credentials.</summary>
public interface IGarminRequestSigner
{
    void Sign(HttpRequestMessage request, GarminCredentials credentials);
}

/// <summary>Reads <see cref="GarminLink"/> rows.</summary>
internal sealed class DbGarminCredentialStore(NirsDbContext db, GarminTokenProtector protector) : IGarminCredentialStore
{
    public async Task<GarminCredentials?> FindByGarminUserAsync(string garminUserId, CancellationToken cancellationToken)
    {
        var link = await db.Set<GarminLink>().AsNoTracking().Where(l => l.GarminUserId == garminUserId)
            .Select(l => new { l.AthleteId, l.GarminUserId, l.AccessToken }).FirstOrDefaultAsync(cancellationToken);
        // Stored encrypted (Data Protection); rows from before encryption are re-encrypted at start (GarminRecovery).
        return link is null ? null : new GarminCredentials(link.AthleteId, link.GarminUserId, protector.Reveal(link.AccessToken));
    }
}

/// <summary>
/// OAuth 2.0 as Garmin's current Activity API uses it: "Authorization: Bearer &lt;access token&gt;".
/// The callback URL carries its own pull token as a query parameter, which is left as it is.
/// </summary>
internal sealed class BearerGarminRequestSigner : IGarminRequestSigner
{
    public void Sign(HttpRequestMessage request, GarminCredentials credentials) =>
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credentials.AccessToken);
}
