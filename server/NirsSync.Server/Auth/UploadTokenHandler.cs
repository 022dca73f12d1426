using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using NirsSync.Data.Accounts;

namespace NirsSync.Server.Auth;

/// <summary>Authenticates athletes by "Authorization: Bearer &lt;upload token&gt;".</summary>
internal sealed class UploadTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccountService accounts, UploadTokenCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "UploadToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.Length == 0) return AuthenticateResult.Fail("empty bearer token");
        var hash = TokenCodec.Hash(token);
        if (cache.Find(hash) is not { } athleteId)
        {
            var mark = cache.Mark();
            if (await accounts.FindAthleteByHashAsync(hash) is not { } found)
                return AuthenticateResult.Fail("unknown or revoked upload token");
            cache.Remember(hash, athleteId = found, mark);
        }
        var identity = new ClaimsIdentity([new Claim(Viewer.AthleteClaim, athleteId.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? "send 'Authorization: Bearer <upload token>' or sign in as a coach";
        await Results.Problem(title: "Unauthorized", detail: detail, statusCode: 401).ExecuteAsync(Context);
    }
}
