using Microsoft.AspNetCore.Antiforgery;

namespace NirsSync.Server.Security;

/// <summary>
/// Cross-site request forgery guard. A state-changing request (anything but GET, HEAD, OPTIONS, TRACE) that
/// carries the sign-in cookie, and any sign-in post, must come from this server's own pages: its Origin header
/// (or, without one, its Referer) must name this server's scheme and host, or it must carry a valid antiforgery
/// token. Otherwise it is answered 403 before any endpoint runs. Requests with an upload token
/// ("Authorization: Bearer") carry no ambient credential and are not affected; nor are sign-ins without Origin
/// or Referer (API clients), which have no session a forger could ride.
/// </summary>
public sealed class SameOriginGuard(RequestDelegate next, IAntiforgery antiforgery)
{
    public const string CookieName = "nirssync";

    private enum Source { SameOrigin, Foreign, Unknown }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || HttpMethods.IsTrace(request.Method)
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        var hasSession = request.Cookies.ContainsKey(CookieName);
        var signIn = RateLimits.Classify(request) == RateLimits.Route.SignIn;
        if (hasSession || signIn)
        {
            var source = SourceOf(request);
            var refused = source == Source.Foreign
                || (source == Source.Unknown && hasSession && !await antiforgery.IsRequestValidAsync(context));
            if (refused)
            {
                await Results.Problem(title: "Cross-site request refused",
                    detail: source == Source.Foreign
                        ? $"the request comes from {Origin(request)}, not from this server's pages"
                        : "a request made with the sign-in cookie needs an Origin or Referer header of this server, or an antiforgery token",
                    statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    }

    private static string Origin(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : request.Headers.Referer.ToString();

    private static Source SourceOf(HttpRequest request)
    {
        var own = $"{request.Scheme}://{request.Host.Value}";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
            return string.Equals(origin.TrimEnd('/'), own, StringComparison.OrdinalIgnoreCase) ? Source.SameOrigin : Source.Foreign;
        var referer = request.Headers.Referer.ToString();
        if (referer.Length == 0) return Source.Unknown;
        return Uri.TryCreate(referer, UriKind.Absolute, out var url)
            && string.Equals($"{url.Scheme}://{url.Authority}", own, StringComparison.OrdinalIgnoreCase)
            ? Source.SameOrigin : Source.Foreign;
    }
}
