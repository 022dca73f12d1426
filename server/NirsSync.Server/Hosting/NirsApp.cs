using Hangfire;
using Microsoft.Extensions.Logging.Console;
using NirsSync.Server.Auth;
using NirsSync.Server.Dashboard;
using NirsSync.Server.GarminConnect;
using NirsSync.Server.Reading;
using NirsSync.Server.Uploads;
using Scalar.AspNetCore;

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
        });
        builder.Services.AddNirsWeb(builder.Configuration);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api-reference").AllowAnonymous();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], AsyncAuthorization = [] })
            .RequireAuthorization(WebServices.AdminPolicy);
        app.MapAuth();
        app.MapUploads();
        app.MapGarminConnect();
        app.MapAthletes();
        app.MapRides();
        app.MapTrends();
        app.MapSensorMap();
        app.MapSettings();
        app.MapCoachPairs();
        app.MapExports();
        app.MapDashboard();
        return app;
    }
}
