using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NirsSync.Data;
using NirsSync.Data.Documents;
using NirsSync.Fit;
using NirsSync.Fit.Synthetic;
using NirsSync.SensorExports.Synthetic;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>Sensor exports through POST /api/uploads: own rides, merged into the FIT ride they overlap, errors, dedupe.</summary>
public sealed class SensorExportUploadTests : IAsyncLifetime
{
    /// <summary>Largest error of the offset found on these generated rides, with room over the 1.1 s measured in docs/sensor-exports.md
    /// (a different power profile from the measurement's).</summary>
    private const double OffsetToleranceS = 3;

    private readonly ServerFactory _server = new();
    private int _athletes;

    public Task InitializeAsync() => _server.AddCoachAsync("coach@example.com");

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(Guid Id, HttpClient Client)> NewAthleteAsync()
    {
        var (id, token) = await _server.AddAthleteAsync($"Rider {++_athletes}", "coach@example.com");
        return (id, _server.AthleteClient(token));
    }

    private static string SharedExport(string name) => Path.Combine(Rides.RepoRoot(), "..", "shared", "sensor-exports", name);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] bytes, string query = "")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await client.PostAsync("/api/uploads" + query, content);
    }

    private static async Task<UploadStatusDto> UploadAndWaitAsync(HttpClient client, byte[] bytes, string query = "")
    {
        var response = await PostAsync(client, bytes, query);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
        return await client.WaitProcessedAsync(accepted!.Id);
    }

    private static async Task<JsonElement> RideAsync(HttpClient client, Guid rideId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/rides/{rideId}");

    private static List<(uint? Sensor, string Muscle, string Side)> Channels(JsonElement ride) =>
        ride.GetProperty("channels").EnumerateArray()
            .Select(c => (c.GetProperty("sensor").ValueKind == JsonValueKind.Null ? (uint?)null : c.GetProperty("sensor").GetUInt32(),
                c.GetProperty("muscle").GetString()!, c.GetProperty("side").GetString()!))
            .OrderBy(c => c.Item1 ?? uint.MaxValue).ToList();

    [Theory]
    [InlineData("moxy_intervals.csv", "1614:1:1", "1614 vastus_lateralis left")]
    [InlineData("moxy_ramp.xlsx", "1615:1:2", "1615 vastus_lateralis right|- unknown unknown")]
    [InlineData("train.red_intervals.csv", "673:1:2,702:1:1", "673 vastus_lateralis right|702 vastus_lateralis left")]
    public async Task Each_real_export_uploaded_as_a_rider_would_becomes_a_ride_with_its_channels_on_the_mapped_muscles(
        string file, string map, string expected)
    {
        var (athlete, client) = await NewAthleteAsync();
        var entries = map.Split(',').Select(e => e.Split(':').Select(int.Parse).ToArray())
            .Select(p => new SensorMapEntry(p[0], p[1], p[2])).ToArray();
        var coach = await _server.CoachClientAsync("coach@example.com"); // an upload token may not change the map
        Assert.Equal(HttpStatusCode.OK, (await coach.PutAsJsonAsync($"/api/athletes/{athlete}/sensor-map", entries)).StatusCode);

        var upload = await UploadAndWaitAsync(client, File.ReadAllBytes(SharedExport(file)));

        Assert.Equal(UploadStatus.Processed, upload.Status);
        Assert.Null(upload.Reason);
        var ride = await RideAsync(client, upload.RideId!.Value);
        Assert.Equal(upload.Id, ride.GetProperty("uploadId").GetGuid());
        Assert.False(ride.TryGetProperty("exports", out _));
        Assert.True(ride.GetProperty("recordCount").GetInt32() > 100);
        var channels = string.Join("|", Channels(ride).Select(c => $"{(c.Sensor is { } s ? s.ToString() : "-")} {c.Muscle} {c.Side}"));
        Assert.Equal(expected, channels);
    }

    /// <summary>A generated FIT ride (power, two sensors of our data field) and a Moxy export following its power, its clock behind by <paramref name="offsetS"/>.</summary>
    private static (byte[] Fit, byte[] Export) RideAndExport(int seed, double offsetS)
    {
        var start = new DateTimeOffset(2026, 11, 20, 7, 0, 0, TimeSpan.Zero).AddDays(seed);
        var fit = SyntheticRide.Generate(new SyntheticRideOptions { Seed = seed, Duration = TimeSpan.FromMinutes(50), Start = start });
        var power = FitColumnarReader.Read(fit, FitDecodeOptions.Lenient).Records;
        var watts = power.Power[..power.Count];
        var export = SyntheticExports.MoxyCsvFollowing(watts, start.UtcDateTime, offsetS, 240, watts.Length - 240, serial: 1614, seed: seed);
        return (fit, export);
    }

    private static async Task<JsonElement> WaitRideAsync(HttpClient client, Guid rideId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var ride = await RideAsync(client, rideId);
            if (done(ride)) return ride;
            Assert.True(DateTime.UtcNow < deadline, $"ride {rideId} not as expected after 30 s: {ride}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_export_overlapping_a_fit_ride_joins_it_at_the_offset_found_and_the_offset_can_be_overridden()
    {
        var (athlete, client) = await NewAthleteAsync();
        var (fit, export) = RideAndExport(1, 20);
        var fitUpload = await UploadAndWaitAsync(client, fit);
        var exportUpload = await UploadAndWaitAsync(client, export);

        Assert.Equal(UploadStatus.Processed, exportUpload.Status);
        Assert.Equal(fitUpload.RideId, exportUpload.RideId);
        var ride = await RideAsync(client, fitUpload.RideId!.Value);
        Assert.Equal(fitUpload.Id, ride.GetProperty("uploadId").GetGuid());
        Assert.Equal([(1614u, "unknown", "unknown"), (12001u, "vastus_lateralis", "left"), (12002u, "vastus_lateralis", "right")],
            Channels(ride).Select(c => (c.Sensor ?? 0, c.Muscle, c.Side)));
        var joined = Assert.Single(ride.GetProperty("exports").EnumerateArray());
        Assert.Equal(exportUpload.Id, joined.GetProperty("uploadId").GetGuid());
        Assert.Equal("MoxyCsv", joined.GetProperty("format").GetString());
        Assert.InRange(joined.GetProperty("offsetFoundS").GetDouble(), 20 - OffsetToleranceS, 20 + OffsetToleranceS);
        Assert.Equal(joined.GetProperty("offsetFoundS").GetDouble(), joined.GetProperty("offsetS").GetDouble());
        Assert.True(joined.GetProperty("correlation").GetDouble() > 0.3);
        Assert.Equal(JsonValueKind.Null, joined.GetProperty("offsetOverrideS").ValueKind);
        Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/athletes/{athlete}/rides")).EnumerateArray());
        Assert.True(ride.GetProperty("averagePower").GetDouble() > 100); // power from the head unit

        var coach = await _server.CoachClientAsync("coach@example.com"); // an upload token may not move an export or change the map
        var byToken = await client.PutAsJsonAsync($"/api/rides/{fitUpload.RideId}/exports/{exportUpload.Id}/offset", new { offsetS = 12.5 });
        Assert.Equal(HttpStatusCode.Forbidden, byToken.StatusCode);
        var put = await coach.PutAsJsonAsync($"/api/rides/{fitUpload.RideId}/exports/{exportUpload.Id}/offset", new { offsetS = 12.5 });
        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        var analyzedBefore = ride.GetProperty("analyzedAt").GetDateTimeOffset();
        var reanalysed = await WaitRideAsync(client, fitUpload.RideId!.Value,
            r => r.GetProperty("analyzedAt").GetDateTimeOffset() > analyzedBefore);
        var overridden = Assert.Single(reanalysed.GetProperty("exports").EnumerateArray());
        Assert.Equal(12.5, overridden.GetProperty("offsetS").GetDouble());
        Assert.Equal(12.5, overridden.GetProperty("offsetOverrideS").GetDouble());
        Assert.Equal(3, Channels(reanalysed).Count);

        // A sensor map change re-analyses the merged ride with its export: the export's channel gets its muscle.
        Assert.Equal(HttpStatusCode.OK, (await coach.PutAsJsonAsync($"/api/athletes/{athlete}/sensor-map",
            new[] { new SensorMapEntry(1614, 1, 2) })).StatusCode);
        var mapped = await WaitRideAsync(client, fitUpload.RideId!.Value,
            r => Channels(r).Any(c => c.Sensor == 1614 && c.Muscle == "vastus_lateralis"));
        Assert.Equal(3, Channels(mapped).Count);
        Assert.Single(mapped.GetProperty("exports").EnumerateArray());

        var (_, stranger) = await NewAthleteAsync();
        var foreign = await stranger.PutAsJsonAsync($"/api/rides/{fitUpload.RideId}/exports/{exportUpload.Id}/offset", new { offsetS = 1 });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode); // another athlete cannot see the ride, let alone move its export
        var missing = await coach.PutAsJsonAsync($"/api/rides/{fitUpload.RideId}/exports/{Guid.NewGuid()}/offset", new { offsetS = 1 });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var huge = await coach.PutAsJsonAsync($"/api/rides/{fitUpload.RideId}/exports/{exportUpload.Id}/offset", new { offsetS = 1e9 });
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
    }

    /// <summary>
    /// A damaged FIT file whose last record reads 2085 was a ride "from 2021 to 2085", and every later export of the
    /// athlete was joined into it. Its stray record is left out now: the ride lasts its 314 s, says why, and an export
    /// of 2026 stands alone.
    /// </summary>
    [Fact]
    public async Task A_ride_whose_clock_jumps_decades_keeps_its_real_span_and_a_later_export_stands_alone()
    {
        var (_, client) = await NewAthleteAsync();
        var fitUpload = await UploadAndWaitAsync(client, Rides.Corpus("python-fitparse/strava-android-app-201.10-b1218918.fit"));
        Assert.Equal(UploadStatus.Processed, fitUpload.Status);
        var ride = await RideAsync(client, fitUpload.RideId!.Value);
        Assert.Equal(314, ride.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(472, ride.GetProperty("recordCount").GetInt32());
        Assert.Equal(new DateTimeOffset(2021, 9, 27, 14, 13, 10, TimeSpan.Zero), ride.GetProperty("startTime").GetDateTimeOffset());
        var warning = ride.GetProperty("warning").GetString()!;
        Assert.StartsWith("damaged FIT file: ", warning);
        Assert.EndsWith("; 1 record(s) stamped 64 years apart from the rest of the ride were left out (a wrong clock)", warning);

        var export = await UploadAndWaitAsync(client, ExportFiles.Vo2Master(300), "?start=2026-02-06T10:00:00Z");
        Assert.Equal(UploadStatus.Processed, export.Status);
        Assert.NotEqual(fitUpload.RideId, export.RideId);
        var alone = await RideAsync(client, export.RideId!.Value);
        Assert.Equal(new DateTimeOffset(2026, 2, 6, 10, 0, 0, TimeSpan.Zero), alone.GetProperty("startTime").GetDateTimeOffset());
        Assert.False(alone.TryGetProperty("exports", out var joined) && joined.ValueKind == JsonValueKind.Array && joined.GetArrayLength() > 0);
    }

    /// <summary>A FIT file of 20,000 records with power, one every 3 hours from 2020 to 2026 (no gap reaches a week, so all are kept).</summary>
    private static byte[] SparseRecordsOverYears()
    {
        var w = new FitWriter();
        var first = FitProfile.ToFitTime(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        w.Write(FitProfile.FileId, FitWriteField.Integer(0, FitBaseType.Enum, 4), FitWriteField.Integer(4, FitBaseType.UInt32, first));
        for (long i = 0; i < 20_000; i++)
            w.Write(FitProfile.Record, FitWriteField.Integer(253, FitBaseType.UInt32, first + i * 3 * 3600),
                FitWriteField.Integer(7, FitBaseType.UInt16, 150 + i % 100));
        return w.ToArray();
    }

    /// <summary>
    /// A file whose records lie hours apart over six years spans every export of the athlete, but holds no records during
    /// one: an export joined to it would show nothing (its samples fall between the ride's records). Neither order joins.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_export_does_not_join_a_ride_that_only_spans_it_with_records_hours_apart(bool fitFirst)
    {
        var (_, client) = await NewAthleteAsync();
        UploadStatusDto fitUpload, export;
        if (fitFirst)
        {
            fitUpload = await UploadAndWaitAsync(client, SparseRecordsOverYears());
            export = await UploadAndWaitAsync(client, ExportFiles.Vo2Master(600), "?start=2024-02-06T10:00:00Z");
        }
        else
        {
            export = await UploadAndWaitAsync(client, ExportFiles.Vo2Master(600), "?start=2024-02-06T10:00:00Z");
            fitUpload = await UploadAndWaitAsync(client, SparseRecordsOverYears());
        }
        Assert.Equal(UploadStatus.Processed, fitUpload.Status);
        Assert.Equal(UploadStatus.Processed, export.Status);
        var sparse = await RideAsync(client, fitUpload.RideId!.Value);
        Assert.Equal(20_000, sparse.GetProperty("recordCount").GetInt32());
        Assert.True(sparse.GetProperty("durationSeconds").GetDouble() > 5 * 365 * 86_400);
        // The export keeps its own ride with its channel, after the FIT ride's join check has run.
        var alone = await RideAsync(client, export.RideId!.Value);
        Assert.Equal(new DateTimeOffset(2024, 2, 6, 10, 0, 0, TimeSpan.Zero), alone.GetProperty("startTime").GetDateTimeOffset());
        Assert.NotEmpty(Channels(alone));
        Assert.NotEqual(fitUpload.RideId, (await client.GetFromJsonAsync<UploadStatusDto>($"/api/uploads/{export.Id}", Json.Options))!.RideId);
    }

    [Fact]
    public void The_join_test_asks_for_ten_records_of_the_ride_in_the_overlap()
    {
        var t0 = new DateTimeOffset(2026, 2, 6, 10, 0, 0, TimeSpan.Zero);
        // One record a second: 600 s of overlap with a 3,600 s ride.
        Assert.Equal(600, Ingest.ExportMerge.Meets(t0.AddSeconds(3000), 1200, t0, 3600, 3601));
        // Nine records' worth is not enough; ten is.
        Assert.Equal(0, Ingest.ExportMerge.Meets(t0.AddSeconds(3591), 600, t0, 3600, 3600));
        Assert.Equal(10, Ingest.ExportMerge.Meets(t0.AddSeconds(3590), 600, t0, 3600, 3600));
        // No overlap.
        Assert.Equal(0, Ingest.ExportMerge.Meets(t0.AddSeconds(4000), 600, t0, 3600, 3600));
        // Six years at one record every 3 h: 0.2 records in a 2-hour export.
        Assert.Equal(0, Ingest.ExportMerge.Meets(t0, 7200, t0.AddYears(-3), 6 * 365 * 86_400, 17_520));
    }

    [Fact]
    public async Task An_export_uploaded_before_its_fit_ride_joins_the_ride_when_it_arrives()
    {
        var (athlete, client) = await NewAthleteAsync();
        var (fit, export) = RideAndExport(2, -35);
        var exportUpload = await UploadAndWaitAsync(client, export);
        Assert.Equal(UploadStatus.Processed, exportUpload.Status);
        var alone = await RideAsync(client, exportUpload.RideId!.Value);
        Assert.Equal("MoxyCsv", alone.GetProperty("exportFormat").GetString());
        Assert.Single(Channels(alone));

        var fitUpload = await UploadAndWaitAsync(client, fit);
        // The FIT ride is stored first and joined by its waiting export right after: wait for the joined analysis.
        var merged = await WaitRideAsync(client, fitUpload.RideId!.Value,
            r => r.TryGetProperty("exports", out _) && Channels(r).Count == 3);
        var joined = Assert.Single(merged.GetProperty("exports").EnumerateArray());
        Assert.Equal(exportUpload.Id, joined.GetProperty("uploadId").GetGuid());
        Assert.InRange(joined.GetProperty("offsetS").GetDouble(), -35 - OffsetToleranceS, -35 + OffsetToleranceS);
        Assert.Equal(3, Channels(merged).Count);
        var rides = (await client.GetFromJsonAsync<JsonElement>($"/api/athletes/{athlete}/rides")).EnumerateArray().ToList();
        Assert.Equal(fitUpload.RideId, Assert.Single(rides).GetProperty("id").GetGuid());
        var status = await client.GetFromJsonAsync<UploadStatusDto>($"/api/uploads/{exportUpload.Id}", Json.Options);
        Assert.Equal(fitUpload.RideId, status!.RideId);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/rides/{exportUpload.RideId}")).StatusCode);
    }

    [Fact]
    public async Task A_damaged_export_fails_with_the_line_and_column()
    {
        var (_, client) = await NewAthleteAsync();
        var text = " FW Part Number: 2000195 v1.3\n LUT Part Number: SN1614 v0.0.4\n\nmm-dd,hh:mm:ss,SmO2 Live,SmO2 Averaged,THb,Lap,Session Ct\n"
            + "06-Feb,13:17:13,56,56,13.01,7,719\n06-Feb,13:17:15,5x,55,12.89,7,719\n";
        var upload = await UploadAndWaitAsync(client, Encoding.UTF8.GetBytes(text));
        Assert.Equal(UploadStatus.Failed, upload.Status);
        Assert.Null(upload.RideId);
        Assert.Contains("line 6, column 3 (C): '5x' where a number belongs (SmO2 Live)", upload.Reason);
    }

    [Fact]
    public async Task The_same_export_uploaded_twice_is_one_upload()
    {
        var (_, client) = await NewAthleteAsync();
        var bytes = File.ReadAllBytes(SharedExport("moxy_intervals.csv"));
        var first = await PostAsync(client, bytes);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var again = await PostAsync(client, bytes);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id,
            (await again.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options))!.Id);
    }

    [Fact]
    public async Task An_export_without_a_date_needs_a_start_and_takes_it_from_the_query()
    {
        var (_, client) = await NewAthleteAsync();
        var without = await UploadAndWaitAsync(client, ExportFiles.Vo2Master(300));
        Assert.Equal(UploadStatus.Failed, without.Status);
        Assert.Contains("states no date, so its start is missing", without.Reason);
        Assert.Contains("?start=", without.Reason);

        var bad = await PostAsync(client, ExportFiles.Vo2Master(301), "?start=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("?start= 'yesterday' is not an ISO 8601 time", await bad.Content.ReadAsStringAsync());
        var noOffset = await PostAsync(client, ExportFiles.Vo2Master(301), "?start=2026-02-06T13:17:13");
        Assert.Contains("has no UTC offset", await noOffset.Content.ReadAsStringAsync());

        // The failed upload sent again with its start is the same upload, now processed.
        var retried = await UploadAndWaitAsync(client, ExportFiles.Vo2Master(300), "?start=2026-02-06T10:00:00Z");
        Assert.Equal(without.Id, retried.Id);
        Assert.Equal(UploadStatus.Processed, retried.Status);

        var with = await UploadAndWaitAsync(client, ExportFiles.Vo2Master(302), "?start=2026-02-06T13:17:13%2B01:00");
        Assert.Equal(UploadStatus.Processed, with.Status);
        var ride = await RideAsync(client, with.RideId!.Value);
        Assert.Equal(new DateTimeOffset(2026, 2, 6, 12, 17, 13, TimeSpan.Zero), ride.GetProperty("startTime").GetDateTimeOffset());
        Assert.Equal([1u, 3u], Channels(ride).Select(c => c.Sensor!.Value));
        Assert.Equal("Vo2MasterCsv", ride.GetProperty("exportFormat").GetString());
    }
}
