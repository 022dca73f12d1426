using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NirsSync.Analysis;
using NirsSync.Data;
using NirsSync.Data.Accounts;
using NirsSync.Data.Documents;
using NirsSync.Fit;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// PostgreSQL mode beyond an empty, current database: a database holding rides of the previous schema upgraded by
/// the migrations, and the command line's admin commands sharing the server's key ring.
/// </summary>
[Trait("Database", "postgres")]
public sealed class PostgresUpgradeTests
{
    private static string Json<T>(T value) => JsonSerializer.Serialize(value, AnalysisJson.Options);

    /// <summary>The migration before RideAnalysisDocument (the last with the four JSON columns on Rides).</summary>
    private const string BeforeDocument = "20261202002031_SpotChecksHardeningExports";

    [Fact]
    public async Task A_ride_stored_in_the_old_columns_reads_back_through_the_api_after_the_document_migration()
    {
        var postgres = PostgresServer.Shared.CreateEmptyDatabase();
        var bytes = Rides.Synthetic(seed: 9, minutes: 20);
        var analysis = RideAnalyzer.Analyze(FitColumnarReader.Read(bytes, FitDecodeOptions.Lenient));
        var current = RideDocuments.Of(analysis);
        var rideId = Guid.CreateVersion7();
        Guid athleteId;
        await using (var services = ServerProcess.Services(null, postgres))
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            await db.GetService<IMigrator>().MigrateAsync(BeforeDocument);
            Assert.Contains(BeforeDocument, await db.Database.GetAppliedMigrationsAsync());
            Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());
            // Accounts have the same shape before and after: written by today's code.
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            await accounts.AddCoachAsync("coach@example.com", "coach-password-1");
            athleteId = (await accounts.AddAthleteAsync("Ann", "coach@example.com")).Athlete.Id;
            var uploadId = Guid.CreateVersion7();
            var stamp = new DateTimeOffsetToBinaryConverter();
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            // The upload in the columns it had then (later migrations add the ingest queue's).
            await using (var upload = new NpgsqlCommand("""
                INSERT INTO "Uploads" ("Id", "AthleteId", "Sha256", "Size", "Status", "RideId", "ReceivedAt", "ProcessedAt", "Attempts")
                VALUES (@id, @athlete, @sha, @size, 'Processed', @ride, @now, @now, 1);
                INSERT INTO "UploadBlobs" ("UploadId", "Bytes") VALUES (@id, @bytes);
                """, connection))
            {
                upload.Parameters.AddWithValue("id", uploadId);
                upload.Parameters.AddWithValue("athlete", athleteId);
                upload.Parameters.AddWithValue("sha", System.Security.Cryptography.SHA256.HashData(bytes));
                upload.Parameters.AddWithValue("size", (long)bytes.Length);
                upload.Parameters.AddWithValue("ride", rideId);
                upload.Parameters.AddWithValue("now", (long)stamp.ConvertToProvider(DateTimeOffset.UtcNow)!);
                upload.Parameters.AddWithValue("bytes", bytes);
                await upload.ExecuteNonQueryAsync();
            }
            // The ride as the previous version wrote it: four JSON columns, no document.
            var start = analysis.Start!.Value;
            await using var insert = new NpgsqlCommand("""
                INSERT INTO "Rides" ("Id", "AthleteId", "UploadId", "StartTime", "DurationSeconds", "RecordCount", "AveragePower",
                    "WeekStart", "ChannelsJson", "MetricsJson", "PairsJson", "SeriesJson", "SummaryJson", "Warning", "AnalyzedAt")
                VALUES (@id, @athlete, @upload, @start, @duration, @records, @power, @week, @channels, @metrics, @pairs, @series,
                    @summary, NULL, @analyzed)
                """, connection);
            insert.Parameters.AddWithValue("id", rideId);
            insert.Parameters.AddWithValue("athlete", athleteId);
            insert.Parameters.AddWithValue("upload", uploadId);
            insert.Parameters.AddWithValue("start", (long)stamp.ConvertToProvider(start)!);
            insert.Parameters.AddWithValue("duration", analysis.DurationS);
            insert.Parameters.AddWithValue("records", analysis.Rows);
            insert.Parameters.AddWithValue("power", (object?)analysis.AveragePowerW ?? DBNull.Value);
            insert.Parameters.AddWithValue("week", Weeks.WeekOf(start, TimeZoneInfo.Utc));
            insert.Parameters.AddWithValue("channels", Json(analysis.Channels.Select(c => c.Channel)));
            insert.Parameters.AddWithValue("metrics", Json(analysis.Channels));
            insert.Parameters.AddWithValue("pairs", Json(analysis.Pairs));
            insert.Parameters.AddWithValue("series", Json(RideDocuments.SeriesView(current)));
            insert.Parameters.AddWithValue("summary", "{}");
            insert.Parameters.AddWithValue("analyzed", (long)stamp.ConvertToProvider(DateTimeOffset.UtcNow)!);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());

            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var document = await db.Rides.AsNoTracking().Where(r => r.Id == rideId).Select(r => r.Document).SingleAsync();
            Assert.NotEmpty(document);
            // The document reader takes the gathered schema-1 document as the ride it was.
            Assert.Equal(Json(current), Json(RideDocuments.Read(document)));
        }
        NpgsqlConnection.ClearAllPools();

        using var server = new ServerFactory { Database = "postgres", PostgresOverride = postgres };
        var coach = await server.CoachClientAsync("coach@example.com");
        var ride = await coach.GetFromJsonAsync<JsonElement>($"/api/rides/{rideId}");
        Assert.Equal(athleteId, ride.GetProperty("athleteId").GetGuid());
        var expected = JsonDocument.Parse(Json(analysis.Channels)).RootElement;
        var metrics = ride.GetProperty("metrics");
        Assert.Equal(expected.GetArrayLength(), metrics.GetArrayLength());
        Assert.Equal(2, metrics.GetArrayLength());
        for (var i = 0; i < metrics.GetArrayLength(); i++)
        {
            Assert.Equal(expected[i].GetProperty("smO2").GetProperty("p50").GetDouble(), metrics[i].GetProperty("smO2").GetProperty("p50").GetDouble());
            Assert.Equal(expected[i].GetProperty("channel").GetProperty("muscle").GetString(), metrics[i].GetProperty("channel").GetProperty("muscle").GetString());
        }
        Assert.Equal(2, ride.GetProperty("channels").GetArrayLength());
        var rides = await coach.GetFromJsonAsync<JsonElement>($"/api/athletes/{athleteId}/rides");
        Assert.Equal(rideId, Assert.Single(rides.EnumerateArray()).GetProperty("id").GetGuid());
    }

    /// <summary>
    /// `nirssync admin link-garmin` builds its services with AddNirsData from the same settings as the server (as here):
    /// in postgres mode the Garmin token it protects must be readable by the server, whose key ring is the database's.
    /// </summary>
    [Fact]
    public async Task A_garmin_token_linked_by_the_admin_command_is_readable_by_the_server()
    {
        var postgres = PostgresServer.Shared.CreateDatabase();
        var (athleteId, _) = await ServerProcess.SeedAthleteOnPostgresAsync(postgres, "coach@example.com", "Ann");
        var cliFolder = Path.Combine(Path.GetTempPath(), "nirssync-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var cli = ServerProcess.Services(cliFolder, postgres))
            {
                await using var scope = cli.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<GarminLinks>().LinkAsync(athleteId, "garmin-ann", "oauth-ann-secret", CancellationToken.None);
            }
            Assert.False(Directory.Exists(Path.Combine(cliFolder, "keys")), "the admin command made a key ring of its own in its data folder");

            using var server = new ServerFactory { Database = "postgres", PostgresOverride = postgres };
            await using var serverScope = server.Services.CreateAsyncScope();
            var link = await serverScope.ServiceProvider.GetRequiredService<NirsDbContext>().Set<GarminLink>().AsNoTracking().SingleAsync();
            Assert.StartsWith(GarminTokenProtector.Prefix, link.AccessToken);
            Assert.DoesNotContain("oauth-ann-secret", link.AccessToken, StringComparison.Ordinal);
            Assert.Equal("oauth-ann-secret", serverScope.ServiceProvider.GetRequiredService<GarminTokenProtector>().Reveal(link.AccessToken));
        }
        finally
        {
            try { Directory.Delete(cliFolder, recursive: true); }
            catch (DirectoryNotFoundException) { }
        }
    }
}
