using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NirsSync.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the SQLite model without starting the host
/// (the PostgreSQL migrations have their own factory in NirsSync.Data.Postgres).
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NirsDbContext>
{
    public NirsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NirsDbContext>().UseSqlite("Data Source=design.db").Options);
}
