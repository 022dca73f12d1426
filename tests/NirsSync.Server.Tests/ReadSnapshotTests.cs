using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// A read snapshot sees one state of the database for all its queries and never holds up a writer (on SQLite, EF's own
/// transactions took the write lock even to read).
/// </summary>
public class ReadSnapshotTests : OneAthleteServer
{
    public ReadSnapshotTests() : this("sqlite") { }

    protected ReadSnapshotTests(string database) : base(database) { }

    [Fact]
    public async Task AWriterCommitsAtOnceWhileASnapshotIsOpenAndTheSnapshotKeepsSeeingTheStateItStartedWith()
    {
        await using var readerScope = Server.Services.CreateAsyncScope();
        var reader = readerScope.ServiceProvider.GetRequiredService<NirsDbContext>();
        await using var writerScope = Server.Services.CreateAsyncScope();
        var writer = writerScope.ServiceProvider.GetRequiredService<NirsDbContext>();

        long before;
        await using (await ReadSnapshot.BeginAsync(reader))
        {
            before = await reader.Athletes.AsNoTracking().Where(a => a.Id == Athlete).Select(a => a.RideVersion).SingleAsync();

            // Another connection writes and commits while the snapshot is open. With a write lock held by the reader
            // this failed (SQLite: busy, retried every 150 ms until the connection's 30 s timeout, then thrown).
            await using (var tx = await writer.Database.BeginTransactionAsync())
            {
                Assert.Equal(1, await writer.Athletes.Where(a => a.Id == Athlete)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.RideVersion, a => a.RideVersion + 5)));
                await tx.CommitAsync();
            }

            // Still the snapshot's state: both reads of one request agree.
            Assert.Equal(before, await reader.Athletes.AsNoTracking().Where(a => a.Id == Athlete).Select(a => a.RideVersion).SingleAsync());
        }
        // Ended: the same context reads the committed state outside any transaction, and writes again.
        Assert.Null(reader.Database.CurrentTransaction);
        Assert.Equal(before + 5, await reader.Athletes.AsNoTracking().Where(a => a.Id == Athlete).Select(a => a.RideVersion).SingleAsync());
        Assert.Equal(1, await reader.Athletes.Where(a => a.Id == Athlete)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.RideVersion, a => a.RideVersion + 1)));
    }
}

[Trait("Database", "postgres")]
public sealed class ReadSnapshotTestsOnPostgres() : ReadSnapshotTests("postgres");
