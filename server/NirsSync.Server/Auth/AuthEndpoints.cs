using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using NirsSync.Data;
using NirsSync.Server.Security;

namespace NirsSync.Server.Auth;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record MeDto(string Kind, Guid? AthleteId, string? CoachId, string? Email, bool IsAdmin);

/// <summary>Coach sign-in for API clients (the dashboard has its own form) and "who am I".</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Accounts");
        group.MapPost("/login", LoginAsync).AllowAnonymous().DisableAntiforgery()
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Coach sign-in: sets the session cookie");
        group.MapPost("/logout", LogoutAsync).DisableAntiforgery();
        app.MapGet("/api/me", Me).WithTags("Accounts").WithSummary("The signed-in coach or the token's athlete");
        return app;
    }

    internal static async Task<IResult> LoginAsync(LoginRequest request, HttpContext http,
        SignInManager<CoachUser> signIn, UserManager<CoachUser> users, SignInThrottle throttle)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
            return TypedResults.Problem(title: "Bad sign-in request", detail: "email and password are required", statusCode: 400);
        var result = await SignInAsync(request.Email, request.Password, signIn, users, throttle);
        if (result is null) return TypedResults.NoContent();
        if (RetryAfter(http) is { } retry) return new TooMany(retry, result);
        return TypedResults.Problem(title: "Sign-in failed", detail: result, statusCode: 401);
    }

    private const string RetryAfterItem = "nirs:sign-in-retry-after";

    /// <summary>Set by <see cref="SignInAsync"/> when the address has failed too often for the account.</summary>
    internal static TimeSpan? RetryAfter(HttpContext http) => http.Items[RetryAfterItem] as TimeSpan?;

    /// <summary>
    /// Signs the coach in; null on success, else why not. A wrong password and an unknown account give the same
    /// answer after the same work (the password is checked against a dummy hash), and neither locks the account:
    /// failures are counted per client address and account by <see cref="SignInThrottle"/>; past its limit the
    /// answer is "too many failed sign-ins" with a wait (<see cref="RetryAfter"/>) for that address only.
    /// </summary>
    internal static async Task<string?> SignInAsync(string email, string password, SignInManager<CoachUser> signIn,
        UserManager<CoachUser> users, SignInThrottle throttle)
    {
        var address = RateLimits.Address(signIn.Context);
        if (throttle.Blocked(address, email) is { } wait)
        {
            signIn.Context.Items[RetryAfterItem] = wait;
            return "too many failed sign-ins for this account from this address";
        }
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new CoachUser(), DummyHash(users), password);
        }
        else
        {
            var result = await signIn.PasswordSignInAsync(user, password, isPersistent: true, lockoutOnFailure: false);
            if (result.Succeeded) return null;
        }
        throttle.Failed(address, email);
        return "wrong email or password";
    }

    private static string? _dummyHash;

    /// <summary>A hash made like every stored one, so that checking a password for an unknown account costs the same.</summary>
    private static string DummyHash(UserManager<CoachUser> users) =>
        _dummyHash ??= users.PasswordHasher.HashPassword(new CoachUser(), Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    internal static async Task<NoContent> LogoutAsync(ClaimsPrincipal user, SignInManager<CoachUser> signIn, UserManager<CoachUser> users,
        WriteGate gate)
    {
        await SignOutEverywhereAsync(user, signIn, users, gate);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Ends the coach's session on the server: a new security stamp makes every cookie issued before it invalid at
    /// its next request (the stamp is validated on every request), then the cookie is cleared.
    /// </summary>
    internal static async Task SignOutEverywhereAsync(ClaimsPrincipal user, SignInManager<CoachUser> signIn, UserManager<CoachUser> users,
        WriteGate gate)
    {
        // A write: through the gate like every other (SQLite has one writer; outside it, an ingest's commit would meet
        // a busy database and wait 150 ms holding the gate).
        if (user.Identity?.AuthenticationType != UploadTokenHandler.SchemeName && await users.GetUserAsync(user) is { } coach)
            await gate.RunAsync(() => users.UpdateSecurityStampAsync(coach), upload: false);
        await signIn.SignOutAsync();
    }

    /// <summary>429 with Retry-After and a ProblemDetails body.</summary>
    private sealed class TooMany(TimeSpan retryAfter, string what) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => RateLimits.WriteTooManyAsync(httpContext, retryAfter, what);
    }

    internal static Ok<MeDto> Me(ClaimsPrincipal user)
    {
        var viewer = Viewer.From(user)!;
        return TypedResults.Ok(viewer.IsAthlete
            ? new MeDto("athlete", viewer.AthleteId, null, null, false)
            : new MeDto("coach", null, viewer.CoachId, user.FindFirstValue(ClaimTypes.Email), viewer.IsAdmin));
    }
}
