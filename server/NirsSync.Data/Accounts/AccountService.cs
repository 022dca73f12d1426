using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NirsSync.Data;

namespace NirsSync.Data.Accounts;

/// <summary>Thrown for account operations that cannot be done; the message says why.</summary>
public sealed class AccountException(string message) : Exception(message);

/// <summary>A freshly issued upload token: the only moment its text exists outside the athlete's hands.</summary>
public sealed record IssuedToken(Guid TokenId, Guid AthleteId, string Token);

/// <summary>Coach and athlete accounts; used by the admin commands and the API alike.</summary>
public sealed class AccountService(NirsDbContext db, UserManager<CoachUser> users, TimeProvider clock, WriteGate gate)
{
    /// <summary>Stored claim of a sign-in that belongs to an athlete: the athlete's id. Such a user sees only that athlete.</summary>
    public const string AthleteClaim = "nirs:athlete";

    /// <summary>Stored claim of an athlete's sign-in that is also the athlete's own coach (a self-coached rider).</summary>
    public const string SelfCoachedClaim = "nirs:self-coached";

    public async Task<CoachUser> AddCoachAsync(string email, string password, bool admin = false)
    {
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
            throw new AccountException($"'{email}' is not an email address");
        if (await users.FindByEmailAsync(email) is not null)
            throw new AccountException($"a coach with email {email} already exists");
        var coach = new CoachUser { UserName = email, Email = email, EmailConfirmed = true, IsAdmin = admin };
        var result = await users.CreateAsync(coach, password);
        if (!result.Succeeded)
            throw new AccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
        return coach;
    }

    public async Task<(Athlete Athlete, IssuedToken Token)> AddAthleteAsync(string name, string coachEmail,
        string timeZone = AthleteTimeZones.Utc)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new AccountException("the athlete's name is empty");
        if (AthleteTimeZones.Validate(timeZone) is { } zoneError) throw new AccountException(zoneError);
        var coach = await users.FindByEmailAsync(coachEmail)
            ?? throw new AccountException($"no coach with email {coachEmail}");
        var athlete = new Athlete
        {
            Id = Guid.CreateVersion7(), Name = name.Trim(), CoachId = coach.Id, CreatedAt = clock.GetUtcNow(),
            TimeZone = timeZone,
        };
        db.Athletes.Add(athlete);
        var token = AddToken(athlete.Id);
        await db.SaveChangesAsync();
        return (athlete, token);
    }

    /// <summary>
    /// Gives an existing athlete a dashboard sign-in (email and password): the user sees exactly that athlete's pages
    /// and API data. Refused when the email is taken or the athlete already has a sign-in.
    /// </summary>
    public async Task<CoachUser> AddAthleteLoginAsync(Guid athleteId, string email, string password)
    {
        if (!await db.Athletes.AnyAsync(a => a.Id == athleteId))
            throw new AccountException($"no athlete with id {athleteId}");
        var id = athleteId.ToString();
        if (await db.UserClaims.AnyAsync(c => c.ClaimType == AthleteClaim && c.ClaimValue == id))
            throw new AccountException($"athlete {athleteId} has a sign-in already");
        var user = await CreateUserAsync(email, password);
        await AddClaimsAsync(user, athleteId, selfCoached: false);
        return user;
    }

    /// <summary>
    /// A rider without a coach: one sign-in that is the athlete and the athlete's own coach (it may change the athlete's
    /// settings, sensor map and tokens, and sees no one else).
    /// </summary>
    public async Task<(Athlete Athlete, IssuedToken Token)> AddSelfCoachedAthleteAsync(string name, string email, string password,
        string timeZone = AthleteTimeZones.Utc)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new AccountException("the athlete's name is empty");
        if (AthleteTimeZones.Validate(timeZone) is { } zoneError) throw new AccountException(zoneError);
        var user = await CreateUserAsync(email, password);
        var athlete = new Athlete
        {
            Id = Guid.CreateVersion7(), Name = name.Trim(), CoachId = user.Id, CreatedAt = clock.GetUtcNow(), TimeZone = timeZone,
        };
        db.Athletes.Add(athlete);
        var token = AddToken(athlete.Id);
        await db.SaveChangesAsync();
        await AddClaimsAsync(user, athlete.Id, selfCoached: true);
        return (athlete, token);
    }

    private async Task<CoachUser> CreateUserAsync(string email, string password)
    {
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
            throw new AccountException($"'{email}' is not an email address");
        if (await users.FindByEmailAsync(email) is not null)
            throw new AccountException($"a sign-in with email {email} already exists");
        var user = new CoachUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
            throw new AccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    private async Task AddClaimsAsync(CoachUser user, Guid athleteId, bool selfCoached)
    {
        List<System.Security.Claims.Claim> claims = [new(AthleteClaim, athleteId.ToString())];
        if (selfCoached) claims.Add(new(SelfCoachedClaim, "true"));
        var result = await users.AddClaimsAsync(user, claims);
        if (!result.Succeeded)
            throw new AccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>Issues another upload token for the athlete; earlier tokens stay valid until revoked.</summary>
    public async Task<IssuedToken> IssueTokenAsync(Guid athleteId)
    {
        if (!await db.Athletes.AnyAsync(a => a.Id == athleteId))
            throw new AccountException($"no athlete with id {athleteId}");
        var token = AddToken(athleteId);
        // Through the gate: a coach issues tokens while the server ingests (SQLite has one writer).
        await gate.RunAsync(() => db.SaveChangesAsync(), upload: false);
        return token;
    }

    /// <summary>Revokes one token, or every live token of the athlete when <paramref name="tokenId"/> is null.</summary>
    public async Task<int> RevokeTokensAsync(Guid athleteId, Guid? tokenId = null)
    {
        var now = clock.GetUtcNow();
        var live = await db.UploadTokens
            .Where(t => t.AthleteId == athleteId && t.RevokedAt == null && (tokenId == null || t.Id == tokenId))
            .ToListAsync();
        foreach (var t in live) t.RevokedAt = now;
        await gate.RunAsync(() => db.SaveChangesAsync(), upload: false);
        return live.Count;
    }

    /// <summary>Grants or withdraws the admin right of a coach; false when it was already so.</summary>
    public async Task<bool> SetAdminAsync(string email, bool admin)
    {
        var coach = await users.FindByEmailAsync(email?.Trim() ?? "")
            ?? throw new AccountException($"no coach with email {email}");
        if (coach.IsAdmin == admin) return false;
        coach.IsAdmin = admin;
        var result = await users.UpdateAsync(coach);
        if (!result.Succeeded) throw new AccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
        // A new security stamp ends the coach's sessions, so a withdrawn right takes effect at once.
        await users.UpdateSecurityStampAsync(coach);
        return true;
    }

    /// <summary>The athlete that holds the live token, or null.</summary>
    public Task<Guid?> FindAthleteByTokenAsync(string token) => FindAthleteByHashAsync(TokenCodec.Hash(token));

    /// <summary>The athlete of the live upload token with this SHA-256 (<see cref="TokenCodec.Hash"/>); null when none.</summary>
    public Task<Guid?> FindAthleteByHashAsync(byte[] hash) => db.UploadTokens.AsNoTracking()
        .Where(t => t.Hash == hash && t.RevokedAt == null)
        .Select(t => (Guid?)t.AthleteId)
        .FirstOrDefaultAsync();

    private IssuedToken AddToken(Guid athleteId)
    {
        var text = TokenCodec.NewToken();
        var row = new UploadToken
        {
            Id = Guid.CreateVersion7(), AthleteId = athleteId, Hash = TokenCodec.Hash(text),
            Prefix = TokenCodec.Prefix(text), CreatedAt = clock.GetUtcNow(),
        };
        db.UploadTokens.Add(row);
        return new IssuedToken(row.Id, athleteId, text);
    }
}
