using Hangfire;
using Microsoft.Extensions.Logging.Console;
using NirsSync.Server.Auth;
using NirsSync.Server.Athletes;
using NirsSync.Server.Dashboard;
using NirsSync.Server.Exports;
using NirsSync.Server.Http;
using NirsSync.Server.Ingest;
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
        // The dashboard's static files are copied beside the dll at build time (see the csproj), so the web root is found
        // from there whether the server runs with `dotnet run`, from a test's output folder or a published folder.
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            WebRootPath = Directory.Exists(webRoot) ? webRoot : null,
        });
        // `--data DIR`, as the CLI's admin commands take it, names the data folder here too; without the
        // mapping the command line would accept it silently and the server would use the default folder.
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--data"] = $"{NirsOptions.Section}:DataDirectory",
            ["--demo-athletes"] = Demo.DemoSeeder.AthletesSetting,
            ["--demo-weeks"] = Demo.DemoSeeder.WeeksSetting,
        });
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
        Security.SecurityServices.UseNirsSecurityFront(app, []);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The dashboard's own CSS/JS (wwwroot/assets) and uPlot (wwwroot/lib, copied from npm at build time), public.
        app.UseStaticFiles();
        // JSON bodies are capped at 1 MiB while they stream in (file uploads keep NirsSync:MaxUploadBytes).
        app.Use(JsonBody.CapJsonBodiesAsync);
        app.UseAuthentication();
        // After authentication (limits per athlete or coach), before authorization (failed tokens count per address).
        app.UseRateLimiter();
        app.UseMiddleware<Security.SameOriginGuard>();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health").AllowAnonymous();
        Observability.NirsMetrics.ObserveQueue(() => app.Services.GetRequiredService<JobStorage>());
        // Prometheus text format; admin coaches, or a scraper with NirsSync:MetricsToken (every role: a worker accepts
        // the cookie of any web node in postgres mode, whose key ring is shared).
        Observability.MetricsEndpoint.Map(app);
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
        app.MapRideExports();
        app.MapGivenEfforts();
        athlete.MapTrends();
        athlete.MapExports();
        SpotChecks.SpotCheckEndpoints.Map(athlete);
        app.MapDashboard();
        return app;
    }
}
