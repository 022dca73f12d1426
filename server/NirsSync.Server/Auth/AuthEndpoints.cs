using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using NirsSync.Data;

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
            .WithSummary("Coach sign-in: sets the session cookie");
        group.MapPost("/logout", LogoutAsync).DisableAntiforgery();
        app.MapGet("/api/me", Me).WithTags("Accounts").WithSummary("The signed-in coach or the token's athlete");
        return app;
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> LoginAsync(LoginRequest request,
        SignInManager<CoachUser> signIn, UserManager<CoachUser> users)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
            return TypedResults.Problem(title: "Bad sign-in request", detail: "email and password are required", statusCode: 400);
        var result = await SignInAsync(request.Email, request.Password, signIn, users);
        return result is null ? TypedResults.NoContent()
            : TypedResults.Problem(title: "Sign-in failed", detail: result, statusCode: 401);
    }

    /// <summary>Signs the coach in; null on success, else why not (lockout included).</summary>
    internal static async Task<string?> SignInAsync(string email, string password, SignInManager<CoachUser> signIn,
        UserManager<CoachUser> users)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null) return "wrong email or password";
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: true, lockoutOnFailure: true);
        if (result.Succeeded) return null;
        return result.IsLockedOut ? "too many failed attempts: the account is locked for 15 minutes" : "wrong email or password";
    }

    internal static async Task<NoContent> LogoutAsync(SignInManager<CoachUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    internal static Ok<MeDto> Me(ClaimsPrincipal user)
    {
        var viewer = Viewer.From(user)!;
        return TypedResults.Ok(viewer.IsAthlete
            ? new MeDto("athlete", viewer.AthleteId, null, null, false)
            : new MeDto("coach", null, viewer.CoachId, user.FindFirstValue(ClaimTypes.Email), viewer.IsAdmin));
    }
}
