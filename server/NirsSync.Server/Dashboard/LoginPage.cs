namespace NirsSync.Server.Dashboard;

internal static class LoginPage
{
    public static IResult Render(string antiforgery, string? error, int status = 200)
    {
        var body = $"""
            <form class="login" method="post" action="/login">
            <h1>Sign in</h1>
            <p class="muted">Coaches and riders with their own sign-in.</p>
            {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{Html.E(error)}</p>")}
            <label>Email<input name="email" type="email" autocomplete="username" required></label>
            <label>Password<input name="password" type="password" autocomplete="current-password" required></label>
            {antiforgery}
            <button type="submit">Sign in</button>
            </form>
            """;
        var page = Html.Page("Sign in", body, signedIn: false);
        return status == 200 ? page : new StatusResult(page, status);
    }

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
