using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// <see cref="RowInsert"/> writes exactly the row SaveChanges writes (same columns, same stored types and formats, so
/// EF's queries find it), refuses an entity without its key, and reports a unique violation as one.
/// </summary>
public class RowInsertTests : OneAthleteServer
{
    public RowInsertTests() : this("sqlite") { }

    protected RowInsertTests(string database) : base(database) { }

    private async Task<Guid> AddUploadAsync(NirsDbContext db, string name)
    {
        var upload = new Upload
        {
            Id = Guid.CreateVersion7(), AthleteId = Athlete, Sha256 = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)),
            Size = 1, Status = UploadStatus.Processed, ReceivedAt = DateTimeOffset.UtcNow,
        };
        db.Uploads.Add(upload);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return upload.Id;
    }

    private Ride NewRide(Guid uploadId, double? power) => new()
    {
        Id = Guid.CreateVersion7(), AthleteId = Athlete, UploadId = uploadId,
        StartTime = new DateTimeOffset(2026, 11, 30, 7, 15, 30, 250, TimeSpan.FromHours(1)),
        DurationSeconds = 3599.5, RecordCount = 3600, AveragePower = power, WeekStart = new DateOnly(2026, 11, 30),
        Document = [1, 2, 3, 250], SummaryJson = """[{"m":"smo2_p50","v":61.5}]""", Warning = power is null ? null : "a warning",
        AnalyzedAt = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), GivenEffortsJson = power is null ? null : "[]",
    };

    /// <summary>Every column of the ride's row as the database returns it (raw, without EF's conversions).</summary>
    private static async Task<Dictionary<string, object>> RawRowAsync(NirsDbContext db, Guid rideId)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        // The id as EF writes it in a query's parameter: found only if RowInsert stored it in the same format.
        var parameter = db.Model.FindEntityType(typeof(Ride))!.FindProperty(nameof(Ride.Id))!.GetRelationalTypeMapping()
            .CreateParameter(command, "@id", rideId, nullable: false);
        command.Parameters.Add(parameter);
        command.CommandText = """SELECT * FROM "Rides" WHERE "Id" = @id""";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"ride {rideId} not found by its id");
        var row = new Dictionary<string, object>();
        for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.GetValue(i);
        return row;
    }

    [Theory]
    [InlineData(212.5)]
    [InlineData(null)]
    public async Task A_row_inserted_without_the_change_tracker_is_stored_as_SaveChanges_stores_it(double? power)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var byEf = NewRide(await AddUploadAsync(db, $"ef {power}"), power);
        db.Rides.Add(byEf);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var byInsert = NewRide(await AddUploadAsync(db, $"insert {power}"), power);
        await RowInsert.InsertAsync(db, byInsert);
        Assert.Empty(db.ChangeTracker.Entries());

        var expected = await RawRowAsync(db, byEf.Id);
        var actual = await RawRowAsync(db, byInsert.Id);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (column, value) in expected)
        {
            Assert.Equal(value.GetType(), actual[column].GetType());
            if (column is nameof(Ride.Id) or nameof(Ride.UploadId))
                Assert.Equal(value.ToString()!.Length, actual[column].ToString()!.Length);
            else Assert.True(Equals(value, actual[column]) || value is byte[] a && actual[column] is byte[] b && a.SequenceEqual(b),
                $"{column}: SaveChanges stored {value}, RowInsert {actual[column]}");
        }
        // EF reads it back (converters applied) and finds it by its converted columns.
        var read = await db.Rides.AsNoTracking().SingleAsync(r => r.Id == byInsert.Id && r.StartTime == byInsert.StartTime
            && r.WeekStart == byInsert.WeekStart && r.AthleteId == Athlete);
        Assert.Equal(byInsert.UploadId, read.UploadId);
        Assert.Equal(byInsert.StartTime, read.StartTime);
        Assert.Equal(byInsert.AnalyzedAt, read.AnalyzedAt);
        Assert.Equal(power, read.AveragePower);
        Assert.Equal(byInsert.Document, read.Document);
        Assert.Equal(byInsert.SummaryJson, read.SummaryJson);
        Assert.Equal(byInsert.Warning, read.Warning);
        Assert.Equal(byInsert.GivenEffortsJson, read.GivenEffortsJson);
    }

    [Fact]
    public async Task An_entity_without_its_key_is_refused_before_anything_is_written()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var ride = NewRide(await AddUploadAsync(db, "no key"), 100);
        ride.Id = Guid.Empty;
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RowInsert.InsertAsync(db, ride));
        Assert.Contains("Ride.Id is not set", e.Message);
        Assert.False(await db.Rides.AnyAsync(r => r.UploadId == ride.UploadId));
    }

    [Fact]
    public async Task A_second_row_with_the_same_unique_key_is_a_unique_violation()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var uploadId = await AddUploadAsync(db, "twice");
        await RowInsert.InsertAsync(db, NewRide(uploadId, 100));
        var e = await Assert.ThrowsAnyAsync<Exception>(() => RowInsert.InsertAsync(db, NewRide(uploadId, 100))); // one ride per upload
        Assert.True(RowInsert.IsUniqueViolation(e), e.ToString());
        Assert.False(RowInsert.IsUniqueViolation(new InvalidOperationException("not a database error")));
    }

    [Fact]
    public async Task A_command_that_returns_no_row_answers_null_and_one_that_returns_a_row_answers_its_value()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        var uploadId = await AddUploadAsync(db, "first or null");
        const string sql = """SELECT "Id" FROM "Uploads" WHERE "Id" = @id""";

        await using (var none = await RowCommand.CreateAsync(db, sql))
            Assert.Null(await none.With<Upload>("id", nameof(Upload.Id), Guid.CreateVersion7()).FirstOrNullAsync<Guid>());
        await using (var one = await RowCommand.CreateAsync(db, sql))
            Assert.Equal(uploadId, await one.With<Upload>("id", nameof(Upload.Id), uploadId).FirstOrNullAsync<Guid>());
    }
}

[Trait("Database", "postgres")]
public sealed class RowInsertTestsOnPostgres() : RowInsertTests("postgres");
