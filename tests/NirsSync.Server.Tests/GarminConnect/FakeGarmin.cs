using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NirsSync.Server.Tests.GarminConnect;

/// <summary>
/// A stand-in for Garmin's Activity API on 127.0.0.1: serves activity files at
/// /wellness-api/rest/activityFile?id=..&amp;token=.. to the right OAuth bearer token, each once (then 410
/// Gone, as Garmin does), with failures on demand; and builds the documented "activityFiles" pings.
/// </summary>
public sealed class FakeGarmin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string PullToken, string AccessToken)> _files = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();

    public ConcurrentDictionary<string, int> Downloads { get; } = new();
    public ConcurrentQueue<string> Requests { get; } = new();

    private FakeGarmin(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeGarmin> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeGarmin(app);
        app.MapGet("/wellness-api/rest/activityFile", fake.Serve);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseUrl = address.TrimEnd('/') + "/";
        return fake;
    }

    /// <summary>Makes a file available; returns its callback URL.</summary>
    public string Offer(string id, byte[] bytes, string accessToken)
    {
        var pullToken = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        _files[id] = (bytes, pullToken, accessToken);
        return $"{BaseUrl}wellness-api/rest/activityFile?id={id}&token={pullToken}";
    }

    private readonly ConcurrentDictionary<string, string> _redirects = new();

    /// <summary>Downloads of the file answer 302 to <paramref name="location"/>.</summary>
    public void RedirectTo(string id, string location) => _redirects[id] = location;

    /// <summary>The next <paramref name="times"/> downloads of the file answer 503.</summary>
    public void FailNext(string id, int times) => _failuresLeft[id] = times;

    /// <summary>An "activityFiles" ping as the Activity API documents it.</summary>
    public static string Ping(params (string UserId, string SummaryId, string CallbackUrl, string FileType)[] files) =>
        JsonSerializer.Serialize(new
        {
            activityFiles = files.Select((f, i) => new
            {
                userId = f.UserId,
                summaryId = f.SummaryId,
                fileType = f.FileType,
                callbackURL = f.CallbackUrl,
                activityType = "ROAD_BIKING",
                deviceName = "Edge 1050",
                startTimeInSeconds = 1_790_000_000 + i * 3600,
                activityId = 21_000_000_000 + i,
                activityName = "Threshold intervals",
                manual = false,
            }),
        });

    private IResult Serve(string? id, string? token, HttpRequest request)
    {
        Requests.Enqueue(request.QueryString.Value ?? "");
        if (id is null || !_files.TryGetValue(id, out var file))
            return Results.Json(new { errorMessage = $"unknown activity file {id}" }, statusCode: 404);
        if (request.Headers.Authorization.ToString() != "Bearer " + file.AccessToken)
            return Results.Json(new { errorMessage = "The authorization for the request failed" }, statusCode: 401);
        if (token != file.PullToken) return Results.Json(new { errorMessage = "Invalid download token" }, statusCode: 400);
        if (_redirects.TryGetValue(id, out var location)) return Results.Redirect(location);
        if (_failuresLeft.TryGetValue(id, out var left) && left > 0)
        {
            _failuresLeft[id] = left - 1;
            return Results.Json(new { errorMessage = "temporarily unavailable" }, statusCode: 503);
        }
        if (Downloads.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
            return Results.Json(new { errorMessage = "duplicate download" }, statusCode: 410);
        return Results.Bytes(file.Bytes, "application/octet-stream");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
