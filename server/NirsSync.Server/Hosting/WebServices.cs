using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using NirsSync.Server.Auth;
using NirsSync.Data;
using NirsSync.Server.GarminConnect;
using NirsSync.Server.Ingest;
using NirsSync.Server.Trends;
using OpenTelemetry.Metrics;

namespace NirsSync.Server.Hosting;

/// <summary>Authentication, Hangfire, OpenAPI, JSON and limits of the web host.</summary>
public static class WebServices
{
    public const string CombinedScheme = "NirsSync";
    public const string AdminPolicy = Auth.Policies.Admin;

    public static IServiceCollection AddNirsWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNirsData(configuration);
        var nirs = configuration.GetSection(NirsOptions.Section).Get<NirsOptions>() ?? new NirsOptions();
        // The web host's own parts of the accounts: coach claims for the cookie and the one access check.
        services.AddScoped<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<CoachUser>, CoachClaimsFactory>();
        services.AddScoped<AccessControl>();
        services.AddSingleton<Dashboard.Overview>();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddAntiforgery();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddExceptionHandler<Http.DatabaseUnavailable>();
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(Observability.NirsMetrics.MeterName).AddPrometheusExporter());
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<NirsOptions>, IOptions<Security.SecurityOptions>>((k, n, s) =>
        {
            k.Limits.MaxRequestBodySize = n.Value.MaxUploadBytes + 1024 * 1024;
            // Stalled clients (a body trickling in slower than this after the grace period) are cut off.
            k.Limits.MinRequestBodyDataRate = new MinDataRate(s.Value.MinRequestBodyBytesPerSecond,
                TimeSpan.FromSeconds(s.Value.MinRequestBodyGraceSeconds));
        });
        // Sign-in cookies survive restarts: the data-protection key ring (NirsSync.Data.SecretProtection, registered
        // by AddNirsData) lives in the owner-only "keys" folder beside the database.
        Security.SecurityServices.AddNirsSecurity(services, configuration);
        // With PostgreSQL the key ring lives in the database, so that a cookie one web node issued is accepted by every
        // other (this replaces the keys folder that AddNirsData configured).
        if (nirs.IsPostgres) services.AddDataProtection().SetApplicationName(SecretProtection.ApplicationName).PersistKeysToDbContext<NirsDbContext>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        AddAuth(services);
        AddJobs(services, nirs);
        services.AddGarminConnect(configuration);
        if (configuration.GetValue<bool>($"{NirsOptions.Section}:SeedDemo")) services.AddHostedService<Demo.DemoSeeder>();
        return services;
    }

    private static void AddAuth(IServiceCollection services)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CombinedScheme;
                o.DefaultChallengeScheme = CombinedScheme;
            })
            .AddPolicyScheme(CombinedScheme, "Upload token or coach cookie", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? UploadTokenHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, UploadTokenHandler>(UploadTokenHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddIdentityCore<CoachUser>().AddSignInManager();
        // The security stamp is checked on every request, so sign-out (which renews it) ends the session on the
        // server: the old cookie answers 401 at once.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "nirssync";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request came over HTTPS (directly or, with NirsSync:ForwardedHeaders, via a TLS
            // proxy); plain-http localhost keeps working.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.AccessDeniedPath = "/login";
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(7);
            o.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx, 401, "sign in as a coach or send an upload token");
            o.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx, 403, "this account may not do that");
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireClaim(Viewer.AdminClaim, "true"));
    }

    private static Task ApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx,
        int status, string detail)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/hangfire"))
            return Results.Problem(title: status == 401 ? "Unauthorized" : "Forbidden", detail: detail, statusCode: status)
                .ExecuteAsync(ctx.HttpContext);
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    private static void AddJobs(IServiceCollection services, NirsOptions nirs)
    {
        // SQLite: Hangfire.Storage.SQLite is not available, so Hangfire keeps its queue in memory and the SQLite
        // database stays the source of truth (see StartupRecovery). PostgreSQL: Hangfire.PostgreSql in the same
        // database (schema "hangfire", installed by DatabaseStartup under the migration lock), shared by every node.
        // One storage per host.
        services.AddSingleton<JobStorage>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<NirsOptions>>().Value;
            if (!o.IsPostgres) return new InMemoryStorage();
            try { _ = new Npgsql.NpgsqlConnectionStringBuilder(o.Postgres); }
            catch (ArgumentException e)
            {
                throw new DatabaseConfigurationException($"NirsSync:Postgres is not a valid Npgsql connection string: {e.Message}");
            }
            var storageOptions = new PostgreSqlStorageOptions
                {
                    SchemaName = DatabaseStartup.HangfireSchema,
                    PrepareSchemaIfNecessary = false,
                    QueuePollInterval = TimeSpan.FromMilliseconds(200),
                    InvisibilityTimeout = TimeSpan.FromSeconds(Math.Max(5, o.JobInvisibilitySeconds)),
                    UseSlidingInvisibilityTimeout = true,
                    DistributedLockTimeout = TimeSpan.FromMinutes(1),
                };
            return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(o.Postgres!, storageOptions),
                storageOptions);
        });
        services.AddHangfire((sp, c) => c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
            .UseFilter(new Observability.JobFailureMetrics()));
        services.AddSingleton<TrendScheduler>();
        services.AddScoped<Http.AthleteInScope>();
        services.AddSingleton<RideProcessor>();
        services.AddSingleton<TrendBuilder>();
        services.AddScoped<IngestJob>();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<Auth.UploadTokenCache>();
        services.AddScoped<TrendJob>();
        services.AddScoped<WeeklyRollupJob>();
        services.AddScoped<ReanalyzeJob>();
        services.AddSingleton<ReanalysisRequests>();
        services.AddScoped<ExportMerge>();
        services.AddScoped<Uploads.UploadIntake>();
        services.AddSingleton<Uploads.UploadCommits>();
        services.AddScoped<RecoverySweepJob>();
        services.AddSingleton<DatabaseStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());
        // SQLite: checkpoints outside the write gate (after DatabaseStartup: hosted services start in this order).
        services.AddWalCheckpointer();
        services.AddHostedService<WalCheckpointService>();
        // A web node runs no jobs: it enqueues them into the shared storage for the worker nodes.
        if (!NodeRoles.RunsJobs(nirs.Role)) return;
        services.AddHostedService<StartupRecovery>();
        services.AddHostedService<IngestWorker>();
        services.AddHangfireServer((sp, o) =>
        {
            o.WorkerCount = sp.GetRequiredService<IOptions<NirsOptions>>().Value.Workers;
            // Jobs resolve from this host's container, never from the process-wide JobActivator.Current
            // (which the last host configured in the process would own, e.g. in tests).
            o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            o.ShutdownTimeout = TimeSpan.FromSeconds(10);
        });
    }
}
