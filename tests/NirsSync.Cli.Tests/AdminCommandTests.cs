using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Cli.Admin;
using NirsSync.Data.Accounts;
using NirsSync.Data;
using NirsSync.Server.Hosting;

namespace NirsSync.Cli.Tests;

/// <summary>nirssync admin add-coach | add-athlete | token | revoke-tokens against a real database folder.</summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly DirectoryInfo _data = new(Path.Combine(Path.GetTempPath(), "nirssync-admin-" + Guid.NewGuid().ToString("N")));

    [Theory]
    [InlineData("admin add-coach --email c@example.com --password long-enough-pw")]
    [InlineData("admin add-athlete --name Ann --coach c@example.com")]
    [InlineData("admin add-athlete --name Ann --coach c@example.com --time-zone Europe/Berlin")]
    [InlineData("admin token --athlete 0190a6c4-1d2e-7f00-8000-000000000001")]
    [InlineData("admin revoke-tokens --athlete 0190a6c4-1d2e-7f00-8000-000000000001")]
    [InlineData("admin --data /tmp/x add-coach --email c@example.com --password long-enough-pw --admin")]
    public void ContractCommandLinesParse(string line)
    {
        var result = Program.BuildRoot().Parse(line);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("admin promote --email c@example.com")]
    [InlineData("admin demote --email c@example.com")]
    [InlineData("admin --data /tmp/x promote --email c@example.com")]
    public void PromoteAndDemoteCommandLinesParse(string line) => Assert.Empty(Program.BuildRoot().Parse(line).Errors);

    [Fact]
    public void PromoteWithoutEmailIsAParseError()
    {
        var result = Program.BuildRoot().Parse("admin promote");
        Assert.Contains(result.Errors, e => e.Message.Contains("--email", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PromoteGrantsAndDemoteWithdrawsTheAdminRightAndEndsSessions()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.AddCoachAsync("coach@example.com", "long-enough-pw", false)));
        string Stamp() => AdminOf().Stamp;
        (bool IsAdmin, string Stamp) AdminOf()
        {
            using var services = Services();
            using var scope = services.CreateScope();
            var coach = scope.ServiceProvider.GetRequiredService<NirsDbContext>().Users.AsNoTracking().Single(u => u.Email == "coach@example.com");
            return (coach.IsAdmin, coach.SecurityStamp!);
        }
        var before = Stamp();
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.SetAdminAsync("coach@example.com", true)));
        Assert.True(AdminOf().IsAdmin);
        Assert.Contains("coach coach@example.com is now an admin", output.ToString());
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.SetAdminAsync("coach@example.com", true)));
        Assert.Contains("is an admin already; nothing changed", output.ToString());
        var promoted = Stamp();
        Assert.NotEqual(before, promoted);
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.SetAdminAsync("coach@example.com", false)));
        Assert.False(AdminOf().IsAdmin);
        Assert.NotEqual(promoted, Stamp());
        Assert.Contains("no longer an admin; their sessions have ended", output.ToString());
        Assert.Equal(1, await AdminRunner.RunAsync(_data, output, error, a => a.SetAdminAsync("nobody@example.com", true)));
        Assert.Contains("nirssync: no coach with email nobody@example.com", error.ToString());
    }

    [Fact]
    public void AddAthleteWithoutCoachIsAParseError()
    {
        var result = Program.BuildRoot().Parse("admin add-athlete --name Ann");
        Assert.Contains(result.Errors, e => e.Message.Contains("--coach", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddCoachThenAthletePrintsIdAndATokenThatIsStoredOnlyHashed()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.AddCoachAsync("coach@example.com", "long-enough-pw", false)));
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.AddAthleteAsync("Ann Rider", "coach@example.com")));
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var id = Guid.Parse(lines.Single(l => l.StartsWith("athlete-id: ", StringComparison.Ordinal))["athlete-id: ".Length..]);
        var token = lines.Single(l => l.StartsWith("upload-token: ", StringComparison.Ordinal))["upload-token: ".Length..];
        Assert.StartsWith("nst_", token);

        await using var services = Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var stored = await db.UploadTokens.SingleAsync(t => t.AthleteId == id);
        Assert.Equal(TokenCodec.Hash(token), stored.Hash);
        Assert.DoesNotContain(token, System.Text.Encoding.UTF8.GetString(stored.Hash));
        Assert.Equal(id, await scope.ServiceProvider.GetRequiredService<AccountService>().FindAthleteByTokenAsync(token));
        Assert.Equal("Ann Rider", (await db.Athletes.SingleAsync(a => a.Id == id)).Name);
    }

    [Fact]
    public async Task AddAthleteWithEmailAndPasswordGivesTheAthleteTheirOwnSignIn()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        await AdminRunner.RunAsync(_data, output, error, a => a.AddCoachAsync("coach@example.com", "long-enough-pw", false));
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error,
            a => a.AddAthleteAsync("Ann", "coach@example.com", "UTC", "ann@example.com", "ann-password-1")));
        Assert.Contains("sign-in: ann@example.com", output.ToString());
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error,
            a => a.AddAthleteAsync("Sam Solo", null, "UTC", "sam@example.com", "sam-password-1")));
        Assert.Contains("sign-in: sam@example.com (self-coached)", output.ToString());
        // The same email twice is refused, naming it.
        Assert.Equal(1, await AdminRunner.RunAsync(_data, output, error,
            a => a.AddAthleteAsync("Sam Again", null, "UTC", "sam@example.com", "sam-password-1")));
        Assert.Contains("a sign-in with email sam@example.com already exists", error.ToString());

        await using var services = Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CoachUser>>();
        var ann = await db.Athletes.SingleAsync(a => a.Name == "Ann");
        var annUser = await users.FindByEmailAsync("ann@example.com");
        Assert.True(await users.CheckPasswordAsync(annUser!, "ann-password-1"));
        var annClaims = await users.GetClaimsAsync(annUser!);
        Assert.Equal(ann.Id.ToString(), annClaims.Single(c => c.Type == AccountService.AthleteClaim).Value);
        Assert.DoesNotContain(annClaims, c => c.Type == AccountService.SelfCoachedClaim);
        Assert.NotEqual(annUser!.Id, ann.CoachId);
        // A self-coached rider is the athlete's coach.
        var sam = await db.Athletes.SingleAsync(a => a.Name == "Sam Solo");
        var samUser = await users.FindByEmailAsync("sam@example.com");
        Assert.Equal(samUser!.Id, sam.CoachId);
        Assert.Contains(await users.GetClaimsAsync(samUser), c => c.Type == AccountService.SelfCoachedClaim && c.Value == "true");
    }

    [Theory]
    [InlineData("admin add-athlete --name Sam --email sam@example.com", "--password")]
    [InlineData("admin add-athlete --name Sam --password long-enough-pw", "--coach")]
    public void AthleteSignInOptionsAreCheckedWhenParsed(string line, string named)
    {
        var result = Program.BuildRoot().Parse(line);
        Assert.Contains(result.Errors, e => e.Message.Contains(named, StringComparison.Ordinal));
        Assert.Empty(Program.BuildRoot().Parse("admin add-athlete --name Sam --email sam@example.com --password long-enough-pw").Errors);
    }

    [Fact]
    public async Task TokenIssuesAnotherAndRevokeTokensEndsThemAll()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        await AdminRunner.RunAsync(_data, output, error, a => a.AddCoachAsync("coach@example.com", "long-enough-pw", false));
        await AdminRunner.RunAsync(_data, output, error, a => a.AddAthleteAsync("Ann", "coach@example.com"));
        var id = Guid.Parse(output.ToString().Split('\n').Single(l => l.StartsWith("athlete-id: ", StringComparison.Ordinal))[12..].Trim());
        output.GetStringBuilder().Clear();
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.IssueTokenAsync(id)));
        var second = output.ToString().Split('\n').Single(l => l.StartsWith("upload-token: ", StringComparison.Ordinal))[14..].Trim();
        output.GetStringBuilder().Clear();
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.RevokeTokensAsync(id)));
        Assert.Contains("revoked 2 upload token(s)", output.ToString());
        await using var services = Services();
        await using var scope = services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<AccountService>().FindAthleteByTokenAsync(second));
    }

    [Fact]
    public async Task UnknownCoachAndShortPasswordAreRefusedWithReasons()
    {
        var error = new StringWriter();
        Assert.Equal(1, await AdminRunner.RunAsync(_data, TextWriter.Null, error, a => a.AddAthleteAsync("Ann", "nobody@example.com")));
        Assert.Contains("no coach with email nobody@example.com", error.ToString());
        Assert.Equal(1, await AdminRunner.RunAsync(_data, TextWriter.Null, error, a => a.AddCoachAsync("c@example.com", "short", false)));
        Assert.Contains("at least 10 characters", error.ToString());
        Assert.Equal(1, await AdminRunner.RunAsync(_data, TextWriter.Null, error, a => a.IssueTokenAsync(Guid.Empty)));
        Assert.Contains($"no athlete with id {Guid.Empty}", error.ToString());
    }

    [Fact]
    public async Task AddAthleteStoresTheTimeZoneAndRefusesAnUnknownOneNamingIt()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        await AdminRunner.RunAsync(_data, output, error, a => a.AddCoachAsync("coach@example.com", "long-enough-pw", false));
        Assert.Equal(1, await AdminRunner.RunAsync(_data, output, error, a => a.AddAthleteAsync("Ann", "coach@example.com", "Mars/Olympus_Mons")));
        Assert.Contains("nirssync: unknown time zone 'Mars/Olympus_Mons'", error.ToString());
        Assert.DoesNotContain("athlete-id:", output.ToString());
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.AddAthleteAsync("Ann", "coach@example.com", "Europe/Berlin")));
        Assert.Equal(0, await AdminRunner.RunAsync(_data, output, error, a => a.AddAthleteAsync("Ben", "coach@example.com")));
        await using var services = Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        Assert.Equal("Europe/Berlin", (await db.Athletes.SingleAsync(a => a.Name == "Ann")).TimeZone);
        Assert.Equal("UTC", (await db.Athletes.SingleAsync(a => a.Name == "Ben")).TimeZone);
    }

    [Fact]
    public void TimeZoneOptionReachesTheCommandAndDefaultsToUtc()
    {
        var root = Program.BuildRoot();
        var given = root.Parse("admin add-athlete --name Ann --coach c@example.com --time-zone Europe/Berlin");
        Assert.Equal("Europe/Berlin", given.GetValue<string>("--time-zone"));
        var omitted = root.Parse("admin add-athlete --name Ann --coach c@example.com");
        Assert.Equal("UTC", omitted.GetValue<string>("--time-zone"));
    }

    private ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NirsSync:DataDirectory"] = _data.FullName,
        }).Build();
        return new ServiceCollection().AddLogging().AddNirsData(configuration).BuildServiceProvider();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _data.Delete(recursive: true); }
        catch (IOException) { }
    }
}
