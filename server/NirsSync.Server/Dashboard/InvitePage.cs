using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NirsSync.Data;
using NirsSync.Data.Accounts;
using NirsSync.Server.Auth;

namespace NirsSync.Server.Dashboard;

/// <summary>
/// <c>/invite/{code}</c>: the rider opens the coach's one-time link, chooses an email and password and is signed in to
/// their own pages. An unknown, used, revoked or expired code gets one and the same page (404).
/// </summary>
internal static class InvitePage
{
    private const string NotValid = "This invite link is not valid: it is unknown, has been used already, was replaced by a newer invite, or is more than 7 days old. Ask your coach for a new link.";

    public static async Task<IResult> ShowAsync(string code, HttpContext ctx, IAntiforgery antiforgery, NirsDbContext db, TimeProvider clock,
        IOptions<IdentityOptions> identity)
    {
        var invite = await AthleteInvites.FindOpenAsync(db, code, clock.GetUtcNow());
        if (invite is null) return Invalid();
        var name = await db.Athletes.Where(a => a.Id == invite.AthleteId).Select(a => a.Name).SingleAsync();
        return Form(identity.Value.Password.RequiredLength, code, name, DashboardEndpoints.Token(ctx, antiforgery), null, null, StatusCodes.Status200OK);
    }

    public static async Task<IResult> AcceptAsync(string code, HttpContext ctx, IAntiforgery antiforgery, NirsDbContext db,
        TimeProvider clock, AccountService accounts, SignInManager<CoachUser> signIn, WriteGate gate, IOptions<IdentityOptions> identity)
    {
        if (!await antiforgery.IsRequestValidAsync(ctx))
            return Results.Problem(title: "Bad invite form", detail: "the form's anti-forgery token is missing or stale; reload the page", statusCode: 400);
        var now = clock.GetUtcNow();
        var invite = await AthleteInvites.FindOpenAsync(db, code, now);
        if (invite is null) return Invalid();
        var name = await db.Athletes.Where(a => a.Id == invite.AthleteId).Select(a => a.Name).SingleAsync();
        var form = await ctx.Request.ReadFormAsync();
        var email = form["email"].ToString().Trim();
        var password = form["password"].ToString();
        var error = email.Length == 0 || password.Length == 0 ? "Enter an email and a password."
            : password != form["confirm"].ToString() ? "The two passwords differ." : null;
        if (error is not null) return Form(identity.Value.Password.RequiredLength, code, name, DashboardEndpoints.Token(ctx, antiforgery), email, error, StatusCodes.Status400BadRequest);
        if (!await gate.RunAsync(() => AthleteInvites.ClaimAsync(db, invite.Id, now), upload: false)) return Invalid();
        CoachUser user;
        try
        {
            user = await gate.RunAsync(() => accounts.AddAthleteLoginAsync(invite.AthleteId, email, password), upload: false);
        }
        catch (AccountException e)
        {
            // The invite stays open for another try: nothing was created.
            await gate.RunAsync(() => AthleteInvites.ReleaseAsync(db, invite.Id, now), upload: false);
            return Form(identity.Value.Password.RequiredLength, code, name, DashboardEndpoints.Token(ctx, antiforgery), email, e.Message, StatusCodes.Status400BadRequest);
        }
        await signIn.SignInAsync(user, isPersistent: true);
        return Results.Redirect($"/dashboard/athletes/{invite.AthleteId}");
    }

    private static IResult Form(int minLength, string code, string athlete, string antiforgery, string? email, string? error, int status)
    {
        var body = $"""
            <form class="login" method="post" action="/invite/{Uri.EscapeDataString(code)}">
            <h1>Your own sign-in</h1>
            <p>Your coach invited you to see your own rides and trends as <strong>{Html.E(athlete)}</strong>. Choose the email and password you will sign in with.</p>
            {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{Html.E(error)}</p>")}
            <label>Email<input name="email" type="email" autocomplete="username" value="{Html.E(email)}" required></label>
            <label>Password<input name="password" type="password" autocomplete="new-password" minlength="{minLength}" required></label>
            <label>Password again<input name="confirm" type="password" autocomplete="new-password" minlength="{minLength}" required></label>
            <p class="muted">At least {minLength} characters, as for every sign-in.</p>
            {antiforgery}
            <button type="submit">Create my sign-in</button>
            </form>
            """;
        return new StatusResult(Html.Page("Invite", body, signedIn: false), status);
    }

    private static IResult Invalid() =>
        new StatusResult(Html.Page("Invite not valid", $"<h1>Invite not valid</h1><p class=\"error\" role=\"alert\">{Html.E(NotValid)}</p><p><a href=\"/login\">Sign in</a> if you have a sign-in already.</p>", signedIn: false),
            StatusCodes.Status404NotFound);

    /// <summary>Renders another result with a different status code.</summary>
    private sealed class StatusResult(IResult inner, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
