using System.Security.Cryptography;
using System.Text;

namespace NirsSync.Server.Security;

/// <summary>
/// Headers on every answer: a content security policy that lets pages load only this server's own scripts, styles
/// and images (inline styles only by their SHA-256, given at start), never be framed, and post forms only here;
/// X-Content-Type-Options nosniff; Referrer-Policy same-origin; X-Frame-Options DENY for old browsers.
/// The third-party pages the host serves (/api-reference, /hangfire) keep frame-ancestors 'none' but not the
/// script and style rules, which their inline code would break.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IReadOnlyList<string> inlineStyles)
{
    private readonly string _policy =
        "default-src 'none'; script-src 'self'; style-src 'self' "
        + string.Join(' ', inlineStyles.Select(Hash))
        + "; img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The CSP source of an inline style or script: 'sha256-BASE64'.</summary>
    public static string Hash(string inline) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)))}'";

    public Task InvokeAsync(HttpContext context)
    {
        var thirdParty = context.Request.Path.StartsWithSegments("/api-reference") || context.Request.Path.StartsWithSegments("/hangfire")
            || context.Request.Path.StartsWithSegments("/scalar");
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = thirdParty ? "frame-ancestors 'none'" : _policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
