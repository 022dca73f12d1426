using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>
/// PostgreSQL going away while the server runs: /health answers 503, uploads 503 with Retry-After (nothing is
/// acknowledged), and the server recovers by itself when the database is back; what was acknowledged before is kept.
/// </summary>
[Trait("Database", "postgres")]
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task DatabaseAwayGives503WithRetryAfterAndTheServerRecoversByItself()
    {
        var direct = new NpgsqlConnectionStringBuilder(PostgresServer.Shared.CreateDatabase());
        using var proxy = new TcpProxy(direct.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = proxy.Port, Timeout = 3 };
        using var server = new ServerFactory { Database = "postgres", PostgresOverride = viaProxy.ConnectionString };
        await server.AddCoachAsync("coach@example.com");
        var (_, token) = await server.AddAthleteAsync("Ann", "coach@example.com");
        var client = server.AthleteClient(token);
        var anonymous = server.CreateClient();
        var before = await (await client.UploadAsync(Rides.Synthetic(seed: 71, minutes: 10)))
            .Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        Assert.Equal(Data.UploadStatus.Processed, (await client.WaitProcessedAsync(before!.Id)).Status);

        proxy.Cut();
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("/health")).StatusCode);
        var refused = await client.UploadAsync(Rides.Synthetic(seed: 72, minutes: 10));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        var problem = await refused.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("database", problem!.Detail, StringComparison.OrdinalIgnoreCase);

        proxy.Restore();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await anonymous.GetAsync("/health")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the server did not recover within 30 s of the database's return");
            await Task.Delay(200);
        }
        var after = await client.UploadAsync(Rides.Synthetic(seed: 72, minutes: 10));
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        var accepted = await after.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        Assert.Equal(Data.UploadStatus.Processed, (await client.WaitProcessedAsync(accepted!.Id)).Status);
        Assert.Equal(Data.UploadStatus.Processed, (await client.WaitProcessedAsync(before.Id)).Status);
    }
}
