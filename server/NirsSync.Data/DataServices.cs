using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NirsSync.Data.Accounts;
using NirsSync.Data;

namespace NirsSync.Data;

/// <summary>The database, Identity stores and account services; shared by the server and the CLI's admin commands.</summary>
public static class DataServices
{
    public static IServiceCollection AddNirsData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NirsOptions>().Bind(configuration.GetSection(NirsOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WriteGate>();
        // Pooled: a context's services and options are built once, not for every request and job.
        services.AddDbContextPool<NirsDbContext>((sp, b) =>
        {
            var options = sp.GetRequiredService<IOptions<NirsOptions>>().Value;
            b.UseSqlite(options.ConnectionString).AddInterceptors(new SqlitePragmas(options.SynchronousFull));
        });
        services.AddIdentityCore<CoachUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<NirsDbContext>();
        services.AddScoped<AccountService>();
        return services;
    }

    /// <summary>Creates the data folder and applies the migrations.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<NirsOptions>>().Value;
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
    }
}
