using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// NirsSync:RideDocumentSchema, for a rolling upgrade: the new nodes write schema 2 (what the previous version reads)
/// until every node runs the new version; the API answers the same either way.
/// </summary>
public sealed class RideDocumentSchemaSettingTests
{
    private static int StoredSchema(byte[] document) => JsonDocument.Parse(document).RootElement.GetProperty("schema").GetInt32();

    private static async Task<(byte[] Document, JsonElement Api)> IngestOneAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> server)
    {
        string token;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<NirsSync.Data.Accounts.AccountService>();
            await accounts.AddCoachAsync("coach@example.com", "coach-password-1", false);
            token = (await accounts.AddAthleteAsync("Ann", "coach@example.com")).Token.Token;
        }
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var accepted = await (await client.UploadAsync(Rides.Synthetic(seed: 7, minutes: 20))).Content.ReadFromJsonAsync<Uploads.UploadStatusDto>(Json.Options);
        var done = await client.WaitProcessedAsync(accepted!.Id);
        await using var read = server.Services.CreateAsyncScope();
        var document = await read.ServiceProvider.GetRequiredService<NirsDbContext>().Rides.AsNoTracking()
            .Where(r => r.Id == done.RideId).Select(r => r.Document).SingleAsync();
        return (document, await client.GetFromJsonAsync<JsonElement>($"/api/rides/{done.RideId}"));
    }

    [Fact]
    public async Task NewNodesWriteSchemaTwoWhenToldAndTheApiAnswersTheSame()
    {
        using var current = new ServerFactory();
        using var rolling = new ServerFactory();
        using var schema2 = rolling.WithWebHostBuilder(b => b.UseSetting("NirsSync:RideDocumentSchema", "2"));
        var (document3, api3) = await IngestOneAsync(current);
        var (document2, api2) = await IngestOneAsync(schema2);

        Assert.Equal(3, StoredSchema(document3));
        Assert.Equal(2, StoredSchema(document2));
        // Schema 2 as the previous version wrote it: every bucket start and value as JSON numbers.
        var chart = JsonDocument.Parse(document2).RootElement.GetProperty("chart");
        Assert.Equal(JsonValueKind.Array, chart.GetProperty("seconds").ValueKind);
        Assert.Equal(JsonValueKind.Array, chart.GetProperty("power").ValueKind);
        Assert.True(document2.Length > document3.Length, $"schema 2 {document2.Length} B, schema 3 {document3.Length} B");
        // Same ride, same analysis: the series and the metrics the API serves do not depend on the stored schema.
        Assert.Equal(api3.GetProperty("series").GetRawText(), api2.GetProperty("series").GetRawText());
        Assert.Equal(api3.GetProperty("metrics").GetRawText(), api2.GetProperty("metrics").GetRawText());
        Assert.Equal(JsonSerializer.Serialize(RideDocuments.Read(document3), AnalysisJson.Options),
            JsonSerializer.Serialize(RideDocuments.Read(document2), AnalysisJson.Options));
    }

    [Fact]
    public void ASchemaThisVersionCannotWriteIsAConfigurationError()
    {
        var options = new NirsOptions { RideDocumentSchema = 4 };
        Assert.Equal("NirsSync:RideDocumentSchema is 4; expected 2 (while nodes of the version before it still run) or 3",
            DatabaseProviders.Check(options));
        var e = Assert.Throws<DatabaseConfigurationException>(() =>
            DataServices.Configure(new DbContextOptionsBuilder<NirsDbContext>(), options));
        Assert.Contains("RideDocumentSchema is 4", e.Message);
        Assert.Null(DatabaseProviders.Check(new NirsOptions { RideDocumentSchema = 2 }));
    }
}
