using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.GarminConnect;

/// <summary>Registers the Garmin Connect ping receiver, fetch job and credential interfaces.</summary>
public static class GarminServices
{
    public static IServiceCollection AddGarminConnect(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GarminOptions>().Bind(configuration.GetSection(GarminOptions.Section));
        services.TryAddScoped<IGarminCredentialStore, DbGarminCredentialStore>();
        services.TryAddSingleton<IGarminRequestSigner, BearerGarminRequestSigner>();
        services.AddScoped<GarminLinks>();
        services.AddScoped<GarminFetchJob>();
        services.AddHttpClient(GarminFetchJob.HttpClientName)
            // Redirects are followed by the job itself, and only to allowed callback prefixes.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient((sp, c) =>
                c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<GarminOptions>>().Value.FetchTimeoutSeconds + 5));
        services.AddHostedService<GarminRecovery>();
        return services;
    }
}
