using Hangfire;
using Microsoft.Extensions.Logging.Console;
using NirsSync.Server.Auth;
using NirsSync.Server.Athletes;
using NirsSync.Server.Dashboard;
using NirsSync.Server.Exports;
using NirsSync.Server.Http;
using NirsSync.Server.Rides;
using NirsSync.Server.Tokens;
using NirsSync.Server.Trends;
using NirsSync.Server.GarminConnect;
using NirsSync.Server.Uploads;
using Scalar.AspNetCore;
using NirsSync.Data;

namespace NirsSync.Server.Hosting;

/// <summary>Builds the web application: services, middleware and one Map call per feature.</summary>
public static class NirsApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // `--data DIR`, as the CLI's admin commands take it, names the data folder here too; without the
        // mapping the command line would accept it silently and the server would use the default folder.
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--data"] = $"{NirsOptions.Section}:DataDirectory" });
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            // Scopes carry the upload id onto every line logged while an upload is accepted or ingested.
            o.IncludeScopes = true;
        });
        builder.Services.AddNirsWeb(builder.Configuration);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health").AllowAnonymous();
        Observability.NirsMetrics.ObserveQueue(() => app.Services.GetRequiredService<JobStorage>());
        // Prometheus text format; admin coaches only (every role: a worker accepts the cookie of any web node in
        // postgres mode, whose key ring is shared).
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(WebServices.AdminPolicy);
        // NirsSync:Role=worker runs jobs and answers /health only.
        var role = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NirsOptions>>().Value.Role;
        if (!NodeRoles.ServesApi(role)) return app;
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api-reference").AllowAnonymous();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], AsyncAuthorization = [] })
            .RequireAuthorization(WebServices.AdminPolicy);
        app.MapAuth();
        app.MapUploads();
        app.MapGarminConnect();
        // Everything under /api/athletes/{athleteId} shares one group that resolves and authorises the athlete once.
        var athlete = app.MapAthleteScope();
        app.MapAthletes(athlete);
        athlete.MapTokens();
        app.MapRides(athlete);
        athlete.MapTrends();
        athlete.MapExports();
        app.MapDashboard();
        return app;
    }
}
