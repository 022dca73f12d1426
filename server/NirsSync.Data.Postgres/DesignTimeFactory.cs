using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NirsSync.Data.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add NAME --project server/NirsSync.Data.Postgres</c> build the PostgreSQL model
/// without a database (adding a migration never connects).
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NirsDbContext>
{
    public NirsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NirsDbContext>()
            .UseNpgsql("Host=localhost;Database=nirssync_design", o => o.MigrationsAssembly(DataServices.PostgresMigrationsAssembly))
            .Options);
}
