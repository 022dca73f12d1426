using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NirsSync.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NirsDbContext>
{
    public NirsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NirsDbContext>().UseSqlite("Data Source=design.db").Options);
}
