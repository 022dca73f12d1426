using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Cli.Admin;
using NirsSync.Cli.Sync;
using NirsSync.Server.GarminConnect;
using NirsSync.Data;

namespace NirsSync.Cli.Tests;

/// <summary><c>nirssync admin link-garmin</c> and the agent's command lines.</summary>
public sealed class SyncGarminLinkCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nirssync-link-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("admin link-garmin --athlete 0190a6c4-1d2e-7f00-8000-000000000001 --garmin-user abc --token t")]
    [InlineData("admin --data /tmp/x link-garmin --athlete 0190a6c4-1d2e-7f00-8000-000000000001 --garmin-user abc --token t")]
    [InlineData("agent --server http://localhost:5080 --token t --watch /media/u/GARMIN --watch /tmp/b --garmin-devices")]
    [InlineData("agent --config /etc/agent.json --state-dir /tmp/q --recursive --poll-seconds 5 --settle-seconds 4")]
    [InlineData("upload --server http://localhost:5080 --token t --no-wait --state-dir /tmp/q a.fit b.fit")]
    public void ContractCommandLinesParse(string line) => Assert.Empty(Program.BuildRoot().Parse(line).Errors);

    [Fact]
    public void LinkGarminWithoutTheGarminUserIsAParseError()
    {
        var result = Program.BuildRoot().Parse("admin link-garmin --athlete 0190a6c4-1d2e-7f00-8000-000000000001 --token t");
        Assert.Contains(result.Errors, e => e.Message.Contains("--garmin-user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LinkGarminStoresTheLinkAndRefusesAGarminUserOfAnotherAthlete()
    {
        var data = new DirectoryInfo(Path.Combine(_root, "data"));
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await AdminRunner.RunAsync(data, output, error, a => a.AddCoachAsync("c@example.com", "long-enough-pw", false)));
        Assert.Equal(0, await AdminRunner.RunAsync(data, output, error, a => a.AddAthleteAsync("Ann", "c@example.com")));
        Assert.Equal(0, await AdminRunner.RunAsync(data, output, error, a => a.AddAthleteAsync("Ben", "c@example.com")));
        var ids = output.ToString().Split('\n').Where(l => l.StartsWith("athlete-id: ", StringComparison.Ordinal))
            .Select(l => Guid.Parse(l["athlete-id: ".Length..].Trim())).ToArray();

        var linkOut = new StringWriter();
        Assert.Equal(0, await GarminLinkCommand.RunAsync(data, ids[0], "garmin-ann", "oauth-ann", linkOut, error, CancellationToken.None));
        Assert.Equal($"athlete {ids[0]} linked to Garmin user garmin-ann", linkOut.ToString().Trim());

        var refused = new StringWriter();
        Assert.Equal(1, await GarminLinkCommand.RunAsync(data, ids[1], "garmin-ann", "oauth-ben", TextWriter.Null, refused, CancellationToken.None));
        Assert.Equal("nirssync: Garmin user garmin-ann is already linked to another athlete", refused.ToString().Trim());
        var unknown = new StringWriter();
        var nobody = Guid.NewGuid();
        Assert.Equal(1, await GarminLinkCommand.RunAsync(data, nobody, "g", "t", TextWriter.Null, unknown, CancellationToken.None));
        Assert.Equal($"nirssync: no athlete with id {nobody}", unknown.ToString().Trim());

        await using var services = new SyncServer(data.FullName).Services();
        await using var scope = services.CreateAsyncScope();
        var link = await scope.ServiceProvider.GetRequiredService<NirsDbContext>().Set<GarminLink>().SingleAsync();
        // The token is stored encrypted with the key ring the server shares (docs/security.md), and reads back as given.
        Assert.Equal((ids[0], "garmin-ann", "oauth-ann"),
            (link.AthleteId, link.GarminUserId, scope.ServiceProvider.GetRequiredService<GarminTokenProtector>().Reveal(link.AccessToken)));
        Assert.StartsWith(GarminTokenProtector.Prefix, link.AccessToken);
        Assert.DoesNotContain("oauth-ann", link.AccessToken);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
