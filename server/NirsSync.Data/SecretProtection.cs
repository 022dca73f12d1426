using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NirsSync.Data;

/// <summary>
/// The data-protection key ring shared by the server (sign-in cookies, antiforgery, Garmin tokens) and the CLI's
/// admin commands (a Garmin token linked from the command line must be readable by the server): one application
/// name, and the key store of the configured provider: SQLite, the owner-only "keys" folder beside the database;
/// PostgreSQL, the database's <c>DataProtectionKeys</c> table, which every node (and the CLI) shares.
/// </summary>
public static class SecretProtection
{
    public const string ApplicationName = "NirsSync";

    public static IServiceCollection AddNirsKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<NirsOptions>, ILoggerFactory, IServiceProvider>((k, n, loggers, sp) =>
            k.XmlRepository = n.Value.IsPostgres
                ? new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.EntityFrameworkCoreXmlRepository<NirsDbContext>(sp, loggers)
                : new FileSystemXmlRepository(
                    DataFolder.EnsureFolder(Path.Combine(Path.GetDirectoryName(n.Value.DatabasePath)!, "keys")), loggers));
        services.AddSingleton<GarminTokenProtector>();
        return services;
    }
}

/// <summary>
/// Garmin OAuth access tokens are stored encrypted with ASP.NET Core Data Protection ("dp1:" + protected text).
/// Rows written before encryption (plain text) are still read, and re-encrypted at the next start or read.
/// </summary>
public sealed class GarminTokenProtector(IDataProtectionProvider provider)
{
    public const string Prefix = "dp1:";
    private readonly IDataProtector _protector = provider.CreateProtector("NirsSync.GarminLink.AccessToken.v1");

    public string Protect(string token) => Prefix + _protector.Protect(token);

    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The token of a stored value, encrypted or (from before encryption) plain.</summary>
    public string Reveal(string stored) => IsProtected(stored) ? _protector.Unprotect(stored[Prefix.Length..]) : stored;
}
