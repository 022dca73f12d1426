using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace NirsSync.Cli.Sync;

/// <summary>The server's answer to one upload attempt.</summary>
public abstract record UploadOutcome
{
    /// <summary>202 (new) or 200 (the server already had these bytes): done.</summary>
    public sealed record Stored(Guid UploadId, int HttpStatus) : UploadOutcome;

    /// <summary>413, 415 or 422: the server will never take this file.</summary>
    public sealed record Refused(int HttpStatus, string Reason) : UploadOutcome;

    /// <summary>
    /// Try again later. <paramref name="ServerWide"/>: the server is unreachable, busy, rate-limiting or refuses the
    /// token, so every ride would fail now; otherwise only this ride failed (for example a 500 on it).
    /// </summary>
    public sealed record TryLater(string Reason, bool ServerWide = true) : UploadOutcome;
}

/// <summary>
/// POST /api/uploads with the athlete's token and the raw FIT bytes. Short hiccups are retried here
/// (Polly: two retries with exponential backoff and jitter, a timeout per attempt); longer outages are
/// the queue's business, which keeps the ride and backs off across restarts.
/// </summary>
public sealed class SyncUploader : IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public SyncUploader(Uri server, string token, TimeSpan requestTimeout, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = new Uri(server.AbsoluteUri.TrimEnd('/') + "/");
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("nirssync-agent/1");
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                        || (int)r.StatusCode >= 500),
            })
            .AddTimeout(requestTimeout)
            .Build();
    }

    /// <param name="start">The start of a sensor export that states no date, sent as <c>?start=</c>; null for none.</param>
    public async Task<UploadOutcome> UploadAsync(byte[] bytes, string fileName, CancellationToken cancellationToken,
        DateTimeOffset? start = null)
    {
        var route = start is { } s
            ? "api/uploads?start=" + Uri.EscapeDataString(s.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture))
            : "api/uploads";
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async ct =>
            {
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName };
                return await _http.PostAsync(route, content, ct);
            }, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new UploadOutcome.TryLater($"server unreachable: {e.Message}");
        }
        catch (TimeoutRejectedException)
        {
            return new UploadOutcome.TryLater("the server did not answer in time");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (status is 200 or 202)
            {
                var id = ReadId(body);
                return id is { } uploadId
                    ? new UploadOutcome.Stored(uploadId, status)
                    : new UploadOutcome.TryLater($"the server answered {status} without an upload id");
            }
            var detail = Detail(body) ?? response.ReasonPhrase ?? "";
            return status switch
            {
                413 or 415 or 422 => new UploadOutcome.Refused(status, detail),
                401 or 403 => new UploadOutcome.TryLater(
                    $"the server refused the upload token ({status}: {detail}); check the token, the ride stays queued"),
                408 or 429 or 502 or 503 or 504 => new UploadOutcome.TryLater($"the server answered {status}: {detail}"),
                _ => new UploadOutcome.TryLater($"the server answered {status}: {detail}", ServerWide: false),
            };
        }
    }

    private static Guid? ReadId(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("id", out var id) && id.TryGetGuid(out var g) ? g : null;
        }
        catch (JsonException) { return null; }
    }

    private static string? Detail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException) { return body.Length > 0 ? body[..Math.Min(200, body.Length)] : null; }
    }

    public void Dispose() => _http.Dispose();
}
