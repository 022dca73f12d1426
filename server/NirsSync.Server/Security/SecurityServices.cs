using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace NirsSync.Server.Security;

/// <summary>Registers and places the host's security parts: forwarded headers, HSTS, headers, rate limits.</summary>
public static class SecurityServices
{
    public static IServiceCollection AddNirsSecurity(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section));
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SecurityOptions>>((f, s) =>
        {
            f.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            foreach (var proxy in s.Value.KnownProxies) f.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in s.Value.KnownNetworks) f.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        services.AddNirsRateLimits();
        return services;
    }

    /// <summary>
    /// The first middleware: forwarded headers (when configured) so everything after sees the client's scheme and
    /// address, HSTS on HTTPS answers (not for localhost), and the security headers on every answer.
    /// </summary>
    public static void UseNirsSecurityFront(WebApplication app, IReadOnlyList<string> inlineStyles)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.ForwardedHeaders) app.UseForwardedHeaders();
        // HSTS goes only on HTTPS answers and never for localhost, so development over plain http is unaffected.
        app.UseHsts();
        app.UseMiddleware<SecurityHeaders>(inlineStyles);
    }
}
