namespace NirsSync.Server.Tests.Support;

/// <summary>
/// A test class's own in-process server (SQLite or PostgreSQL) with one coach and one athlete, made before each test
/// and disposed after it: the set-up the data-layer tests share.
/// </summary>
public abstract class OneAthleteServer(string database = "sqlite") : IAsyncLifetime
{
    protected ServerFactory Server { get; } = new() { Database = database };

    /// <summary>The athlete's id.</summary>
    protected Guid Athlete { get; private set; }

    public async Task InitializeAsync()
    {
        await Server.AddCoachAsync("coach@example.com");
        Athlete = (await Server.AddAthleteAsync("Ann", "coach@example.com")).Id;
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}
