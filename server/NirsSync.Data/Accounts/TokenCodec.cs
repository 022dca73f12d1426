using System.Security.Cryptography;
using System.Text;

namespace NirsSync.Data.Accounts;

/// <summary>
/// Upload tokens: 32 random bytes, written "nst_" + base64url. Only the SHA-256 of the whole token
/// text is stored; 256 bits of randomness make a salted slow hash unnecessary.
/// </summary>
public static class TokenCodec
{
    public const string Scheme = "nst_";

    public static string NewToken() => Scheme + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The part of the token that may be shown again later to tell tokens apart.</summary>
    public static string Prefix(string token) => token[..Math.Min(token.Length, 10)];

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
