using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using NirsSync.Server.Auth;
using NirsSync.Data;

namespace NirsSync.Server.Dashboard;

/// <summary>The coach dashboard: sign-in, athletes with the latest week's flags, an athlete's trends, a ride.</summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").ExcludeFromDescription();
        group.MapGet("/", () => Results.Redirect("/dashboard")).AllowAnonymous();
        group.MapGet("/login", (HttpContext ctx, IAntiforgery af) => LoginPage.Render(Token(ctx, af), null)).AllowAnonymous();
        group.MapPost("/login", LoginAsync).AllowAnonymous();
        group.MapPost("/logout", LogoutAsync);
        group.MapGet("/invite/{code}", InvitePage.ShowAsync).AllowAnonymous();
        group.MapPost("/invite/{code}", InvitePage.AcceptAsync).AllowAnonymous();
        group.MapGet("/dashboard", HomePage.RenderAsync);
        group.MapGet("/dashboard/athletes/{athleteId:guid}", AthletePage.RenderAsync);
        group.MapGet("/dashboard/rides/{rideId:guid}", RidePage.RenderAsync);
        return app;
    }

    internal static string Token(HttpContext ctx, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        return $"<input type=\"hidden\" name=\"{Html.E(tokens.FormFieldName)}\" value=\"{Html.E(tokens.RequestToken)}\">";
    }

    private static async Task<IResult> LoginAsync(HttpContext ctx, IAntiforgery antiforgery,
        SignInManager<CoachUser> signIn, UserManager<CoachUser> users, Security.SignInThrottle throttle)
    {
        if (!await antiforgery.IsRequestValidAsync(ctx))
            return Results.Problem(title: "Bad sign-in form", detail: "the form's anti-forgery token is missing or stale; reload the page", statusCode: 400);
        var form = await ctx.Request.ReadFormAsync();
        var email = form["email"].ToString();
        var password = form["password"].ToString();
        var error = string.IsNullOrWhiteSpace(email) || password.Length == 0
            ? "Enter your email and password."
            : await AuthEndpoints.SignInAsync(email, password, signIn, users, throttle);
        if (error is null) return Results.Redirect(SafeReturn(form["returnUrl"].ToString()));
        if (AuthEndpoints.RetryAfter(ctx) is { } retry)
        {
            ctx.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return LoginPage.Render(Token(ctx, antiforgery), $"Too many failed sign-ins for this account from here; try again in {Math.Ceiling(retry.TotalMinutes)} min.",
                StatusCodes.Status429TooManyRequests);
        }
        return LoginPage.Render(Token(ctx, antiforgery), error, StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> LogoutAsync(HttpContext ctx, IAntiforgery antiforgery, SignInManager<CoachUser> signIn,
        UserManager<CoachUser> users, WriteGate gate)
    {
        await antiforgery.ValidateRequestAsync(ctx);
        await AuthEndpoints.SignOutEverywhereAsync(ctx.User, signIn, users, gate);
        return Results.Redirect("/login");
    }

    private static string SafeReturn(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : "/dashboard";
}
