using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data.Accounts;
using NirsSync.Server.Hosting;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests.Support;

/// <summary>
/// The whole server in memory on its own database: SQLite in a temporary folder, or (Database = "postgres") a fresh
/// database on the tests' own PostgreSQL (<see cref="PostgresServer"/>).
/// </summary>
public sealed class ServerFactory : WebApplicationFactory<Program>
{
    private string? _postgres;

    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string Database { get; init; } = "sqlite";

    /// <summary>Set to run on another factory's PostgreSQL database (a restart).</summary>
    public string? PostgresOverride { get; init; }

    /// <summary>The PostgreSQL connection string of this server (created on first use), in postgres mode.</summary>
    public string Postgres => _postgres ??= PostgresOverride ?? PostgresServer.Shared.CreateDatabase();

    private readonly string _ownDirectory = Path.Combine(Path.GetTempPath(), "nirssync-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>Set to run on another factory's database (a restart); that factory then owns the folder.</summary>
    public string? DataDirectoryOverride { get; init; }

    public string DataDirectory => DataDirectoryOverride ?? _ownDirectory;

    public long MaxUploadBytes { get; init; } = 64L * 1024 * 1024;

    public int SignInPerAddressPerMinute { get; init; } = 100_000;

    /// <summary>NirsSync:SynchronousFull: off by default in the tests (speed); the server's own default is on.</summary>
    public bool SynchronousFull { get; init; }

    /// <summary>
    /// NirsSync:Role. "web" for a factory whose derived servers (WithWebHostBuilder, on the same database) must be
    /// the only ones ingesting: every node that runs jobs takes pending uploads from the database.
    /// </summary>
    public string Role { get; init; } = "all";

    /// <summary>The origin of the in-memory server, which a browser would send with its own pages' requests.</summary>
    public const string Origin = "http://localhost";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("NirsSync:DataDirectory", DataDirectory);
        builder.UseSetting("NirsSync:Role", Role);
        if (Database == "postgres")
        {
            builder.UseSetting("NirsSync:Database", "postgres");
            builder.UseSetting("NirsSync:Postgres", Postgres);
        }
        builder.UseSetting("NirsSync:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("NirsSync:TrendBatchDelaySeconds", "0");
        builder.UseSetting("NirsSync:SynchronousFull", SynchronousFull ? "true" : "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // The suites sign in many times from the in-memory client's one address; the limit's own tests set it low.
        builder.UseSetting("NirsSync:RateLimits:SignInPerAddressPerMinute", SignInPerAddressPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<string> AddCoachAsync(string email, string password = "coach-password-1", bool admin = false)
    {
        await using var scope = Services.CreateAsyncScope();
        var coach = await scope.ServiceProvider.GetRequiredService<AccountService>().AddCoachAsync(email, password, admin);
        return coach.Id;
    }

    public async Task<(Guid Id, string Token)> AddAthleteAsync(string name, string coachEmail)
    {
        await using var scope = Services.CreateAsyncScope();
        var (athlete, token) = await scope.ServiceProvider.GetRequiredService<AccountService>().AddAthleteAsync(name, coachEmail);
        return (athlete.Id, token.Token);
    }

    public HttpClient AthleteClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpClient> CoachClientAsync(string email, string password = "coach-password-1")
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        // As the dashboard's own pages would: state-changing requests with the cookie name this server as origin.
        client.DefaultRequestHeaders.Add("Origin", Origin);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || DataDirectoryOverride is not null) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Upload and polling helpers.</summary>
public static class UploadClient
{
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await client.PostAsync("/api/uploads", content);
    }

    /// <summary>Polls the upload until it is no longer pending (or fails the test after 30 s).</summary>
    public static async Task<UploadStatusDto> WaitProcessedAsync(this HttpClient client, Guid uploadId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await client.GetFromJsonAsync<UploadStatusDto>($"/api/uploads/{uploadId}", Json.Options);
            if (status!.Status != Data.UploadStatus.Pending) return status;
            Assert.True(DateTime.UtcNow < deadline, $"upload {uploadId} still pending after 30 s");
            await Task.Delay(50);
        }
    }
}
