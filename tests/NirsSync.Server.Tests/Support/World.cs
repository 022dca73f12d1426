using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests.Support;

/// <summary>
/// Two coaches and three athletes: coach 1 has Ann and Ben, coach 2 has Cid. Ann and Cid have one
/// processed ride each. Shared by the authorization matrix tests.
/// </summary>
public class World : IAsyncLifetime
{
    public World() : this("sqlite") { }

    protected World(string database) => Server = new() { Database = database };

    public ServerFactory Server { get; }
    public const string Coach1 = "coach1@example.com";
    public const string Coach2 = "coach2@example.com";
    public (Guid Id, string Token) Ann { get; private set; }
    public (Guid Id, string Token) Ben { get; private set; }
    public (Guid Id, string Token) Cid { get; private set; }
    /// <summary>Ann's own dashboard sign-in (email and password), beside her upload token.</summary>
    public const string AnnEmail = "ann@example.com";
    /// <summary>Dee rides without a coach: one sign-in that is the athlete and her own coach.</summary>
    public const string DeeEmail = "dee@example.com";
    public const string RiderPassword = "rider-password-1";
    public (Guid Id, string Token) Dee { get; private set; }
    public UploadStatusDto AnnUpload { get; private set; } = null!;
    public UploadStatusDto CidUpload { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Server.AddCoachAsync(Coach1, admin: true);
        await Server.AddCoachAsync(Coach2);
        Ann = await Server.AddAthleteAsync("Ann", Coach1);
        Ben = await Server.AddAthleteAsync("Ben", Coach1);
        Cid = await Server.AddAthleteAsync("Cid", Coach2);
        await using (var scope = Server.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<Data.Accounts.AccountService>();
            await accounts.AddAthleteLoginAsync(Ann.Id, AnnEmail, RiderPassword);
            var (dee, token) = await accounts.AddSelfCoachedAthleteAsync("Dee", DeeEmail, RiderPassword);
            Dee = (dee.Id, token.Token);
        }
        AnnUpload = await UploadProcessedAsync(Ann.Token, Rides.Synthetic(seed: 11, minutes: 20));
        CidUpload = await UploadProcessedAsync(Cid.Token, Rides.Synthetic(seed: 12, minutes: 20));
    }

    private async Task<UploadStatusDto> UploadProcessedAsync(string token, byte[] bytes)
    {
        var client = Server.AthleteClient(token);
        var response = await client.UploadAsync(bytes);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        var done = await client.WaitProcessedAsync(accepted!.Id);
        Assert.Equal(Data.UploadStatus.Processed, done.Status);
        return done;
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The same world on PostgreSQL.</summary>
public sealed class PostgresWorld() : World("postgres");
