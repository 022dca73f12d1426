using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace NirsSync.Cli.Upload;

/// <summary>The server's answer about an upload, as the CLI reads it.</summary>
internal sealed record UploadStatus(Guid Id, string Status, Guid? RideId, string? Reason, string? Warning);

internal sealed record UploadSummary(int Pending, int Processed, int Failed);

/// <summary>The result of one POST: the status, or what went wrong.</summary>
internal sealed record SendResult(UploadStatus? Status, int HttpStatus, string? Error);

/// <summary>HTTP helpers shared by <c>nirssync upload</c> and <c>nirssync bench upload</c>.</summary>
internal static class UploadClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HttpClient Create(Uri server, string token, int connections)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public static async Task<SendResult> SendAsync(HttpClient http, byte[] bytes, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PostAsync("/api/uploads", content, cancellationToken);
        if (response.IsSuccessStatusCode)
            return new SendResult(await response.Content.ReadFromJsonAsync<UploadStatus>(Json, cancellationToken), (int)response.StatusCode, null);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = TryDetail(body) ?? body;
        return new SendResult(null, (int)response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
    }

    public static async Task<UploadStatus> WaitAsync(HttpClient http, Guid id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = (await http.GetFromJsonAsync<UploadStatus>($"/api/uploads/{id}", Json, cancellationToken))!;
            if (status.Status != "pending") return status;
            await Task.Delay(100, cancellationToken);
        }
    }

    public static async Task<UploadSummary> SummaryAsync(HttpClient http, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<UploadSummary>("/api/uploads/summary", Json, cancellationToken))!;

    private static string? TryDetail(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
