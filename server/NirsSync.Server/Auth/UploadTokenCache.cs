using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Auth;

/// <summary>
/// Upload token (by its SHA-256) → athlete, for <see cref="NirsOptions.TokenCacheSeconds"/> after a lookup found it,
/// so that a sync agent's burst of uploads costs one database lookup instead of one per request. Only tokens the
/// database accepted are kept (an unknown token always reaches the database, behind the rate limiter), the cache
/// is bounded, and a revocation through this node forgets the athlete's tokens at once; a revocation elsewhere (another
/// node, <c>nirssync admin revoke-tokens</c>) takes effect here within the cache's lifetime (docs/security.md).
/// </summary>
public sealed class UploadTokenCache(IOptions<NirsOptions> options, TimeProvider clock)
{
    /// <summary>At most this many tokens are kept; the cache is emptied when it would grow past it.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (Guid AthleteId, long ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    // When each athlete's tokens were last forgotten (a revocation on this node), by a counter that only grows: a
    // lookup that started before it must not put a token back (the database may have answered before the revocation).
    private readonly ConcurrentDictionary<Guid, long> _forgotten = new();
    private long _clock;
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(Math.Max(0, options.Value.TokenCacheSeconds));

    public bool Enabled => _lifetime > TimeSpan.Zero;

    public Guid? Find(byte[] hash)
    {
        if (!Enabled || !_tokens.TryGetValue(Convert.ToHexString(hash), out var entry)) return null;
        return clock.GetUtcNow().UtcTicks < entry.ExpiresAt ? entry.AthleteId : null;
    }

    /// <summary>A mark to take before asking the database, for <see cref="Remember"/>.</summary>
    public long Mark() => Interlocked.Increment(ref _clock);

    /// <summary>
    /// Keeps a token the database accepted in a lookup that began at <paramref name="mark"/>; nothing when the
    /// athlete's tokens were revoked on this node since (the answer may predate the revocation).
    /// </summary>
    public void Remember(byte[] hash, Guid athleteId, long mark)
    {
        if (!Enabled) return;
        if (_forgotten.TryGetValue(athleteId, out var forgottenAt) && forgottenAt >= mark) return;
        if (_tokens.Count >= Capacity) _tokens.Clear();
        _tokens[Convert.ToHexString(hash)] = (athleteId, (clock.GetUtcNow() + _lifetime).UtcTicks);
    }

    /// <summary>Forgets every cached token of the athlete (their tokens were revoked on this node).</summary>
    public void ForgetAthlete(Guid athleteId)
    {
        if (_forgotten.Count >= Capacity) _forgotten.Clear();
        _forgotten[athleteId] = Interlocked.Increment(ref _clock);
        foreach (var (key, entry) in _tokens)
            if (entry.AthleteId == athleteId) _tokens.TryRemove(key, out _);
    }
}
