using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;
using NirsSync.Data.Accounts;

namespace NirsSync.Server.Auth;

/// <summary>A fresh invite: the only moment its code exists outside the rider's hands.</summary>
public sealed record IssuedInvite(Guid InviteId, Guid AthleteId, string Code, DateTimeOffset ExpiresAt);

/// <summary>
/// A coach's invite for a rider's own sign-in (docs/security.md, "Invites"): a one-time link <c>/invite/{code}</c> with
/// 32 random bytes, good for <see cref="Lifetime"/> and once. Only the SHA-256 of the code is stored, and a new invite of
/// the athlete revokes the ones before it. Accepting it creates the athlete's sign-in like
/// <c>nirssync admin add-athlete --email --password</c> (the same password rules).
/// </summary>
public static class AthleteInvites
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>The longest code the invite page looks up (a real one is 43 characters); longer ones are unknown without a lookup.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>Whether the athlete has a sign-in of their own already (then there is nothing to invite to).</summary>
    public static Task<bool> HasSignInAsync(NirsDbContext db, Guid athleteId)
    {
        var id = athleteId.ToString();
        return db.UserClaims.AnyAsync(c => c.ClaimType == AccountService.AthleteClaim && c.ClaimValue == id);
    }

    /// <summary>Issues an invite and revokes every earlier open one of the athlete, in one save.</summary>
    public static async Task<IssuedInvite> IssueAsync(NirsDbContext db, Guid athleteId, string coachId, DateTimeOffset now)
    {
        var open = await db.AthleteInvites.Where(i => i.AthleteId == athleteId && i.UsedAt == null && i.RevokedAt == null).ToListAsync();
        foreach (var i in open) i.RevokedAt = now;
        var code = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var invite = new AthleteInvite
        {
            Id = Guid.CreateVersion7(), AthleteId = athleteId, Hash = TokenCodec.Hash(code), CreatedBy = coachId,
            CreatedAt = now, ExpiresAt = now + Lifetime,
        };
        db.AthleteInvites.Add(invite);
        await db.SaveChangesAsync();
        return new IssuedInvite(invite.Id, athleteId, code, invite.ExpiresAt);
    }

    /// <summary>The open invite (unused, not revoked, not expired) the code belongs to, or null: unknown, used and expired look alike.</summary>
    public static async Task<AthleteInvite?> FindOpenAsync(NirsDbContext db, string code, DateTimeOffset now)
    {
        if (code.Length is 0 or > MaxCodeLength) return null;
        var hash = TokenCodec.Hash(code);
        var invite = await db.AthleteInvites.AsNoTracking().FirstOrDefaultAsync(i => i.Hash == hash);
        return invite is { UsedAt: null, RevokedAt: null } && invite.ExpiresAt > now ? invite : null;
    }

    /// <summary>
    /// Takes the open invite for one use: a conditional update, so of two requests with the same code only one gets it.
    /// False when the invite is no longer open.
    /// </summary>
    public static async Task<bool> ClaimAsync(NirsDbContext db, Guid inviteId, DateTimeOffset now) =>
        await db.AthleteInvites.Where(i => i.Id == inviteId && i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now)) == 1;

    /// <summary>Gives a claimed invite back when the sign-in could not be created (a password too weak, an email taken).</summary>
    public static Task ReleaseAsync(NirsDbContext db, Guid inviteId, DateTimeOffset claimedAt) =>
        db.AthleteInvites.Where(i => i.Id == inviteId && i.UsedAt == claimedAt).ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, (DateTimeOffset?)null));
}
