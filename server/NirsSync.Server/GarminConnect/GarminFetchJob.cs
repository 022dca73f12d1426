using System.Net;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NirsSync.Data;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.GarminConnect;

/// <summary>
/// Downloads one announced activity file from its callback URL with the athlete's Garmin credentials and
/// hands it to <see cref="UploadIntake"/>, which deduplicates it like any other upload. Transient failures
/// (network, timeouts, 408, 429, 5xx) are retried with a doubling delay; the attempt count lives in the
/// database, so retries survive restarts (see <see cref="GarminRecovery"/>).
/// </summary>
public sealed class GarminFetchJob(NirsDbContext db, WriteGate gate, IGarminCredentialStore credentials,
    IGarminRequestSigner signer, IHttpClientFactory http, UploadIntake intake, IBackgroundJobClient jobs,
    IOptions<GarminOptions> options, IOptions<NirsOptions> upload, TimeProvider clock, ILogger<GarminFetchJob> log)
{
    public const string HttpClientName = "garmin";

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid fileId)
    {
        var file = await db.Set<GarminActivityFile>().FirstOrDefaultAsync(f => f.Id == fileId);
        if (file is not { Status: GarminFileStatus.Pending }) return;
        var owner = await credentials.FindByGarminUserAsync(file.GarminUserId);
        if (owner is null)
        {
            await FinishAsync(file, GarminFileStatus.Failed, $"Garmin user {file.GarminUserId} is no longer linked to an athlete");
            return;
        }
        file.Attempts++;
        await gate.RunAsync(() => db.SaveChangesAsync(), upload: false);

        var (bytes, transient, error) = await DownloadAsync(file, owner);
        if (bytes is not null)
        {
            var result = await intake.AcceptAsync(owner.AthleteId, bytes, $"garmin-{file.SummaryId}.fit");
            if (result.Upload is { } upload)
            {
                file.UploadId = upload.Id;
                await FinishAsync(file, GarminFileStatus.Fetched, result.Created ? null : "already uploaded (same SHA-256)");
            }
            else await FinishAsync(file, GarminFileStatus.Failed, $"the upload checks rejected the file ({result.RejectStatus}): {result.Reason}");
            return;
        }
        var settings = options.Value;
        if (!transient || file.Attempts >= settings.MaxAttempts)
        {
            await FinishAsync(file, GarminFileStatus.Failed,
                transient ? $"gave up after {file.Attempts} attempts; last: {error}" : error);
            return;
        }
        file.Reason = $"attempt {file.Attempts} failed: {error}";
        await gate.RunAsync(() => db.SaveChangesAsync(), upload: false);
        var delay = settings.RetryDelay(file.Attempts);
        log.LogWarning("Garmin file {SummaryId} attempt {Attempt} failed ({Error}); retry in {Delay}", file.SummaryId,
            file.Attempts, error, delay);
        jobs.Schedule<GarminFetchJob>(job => job.RunAsync(fileId), delay);
    }

    /// <summary>
    /// GET of the callback URL: redirects are followed only to allowed callback prefixes (at most
    /// <see cref="GarminOptions.MaxRedirects"/>), the body is streamed and refused past NirsSync:MaxUploadBytes, and the
    /// whole download has <see cref="GarminOptions.FetchTimeoutSeconds"/>.
    /// </summary>
    private async Task<(byte[]? Bytes, bool Transient, string Error)> DownloadAsync(GarminActivityFile file,
        GarminCredentials owner)
    {
        var settings = options.Value;
        var limit = upload.Value.MaxUploadBytes;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.FetchTimeoutSeconds));
        var url = new Uri(file.CallbackUrl);
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                signer.Sign(request, owner);
                using var response = await http.CreateClient(HttpClientName)
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (!settings.IsAllowedCallback(next))
                        return (null, false, $"{url} redirected to {next}, which is not under an allowed callback prefix; not followed");
                    if (hop >= settings.MaxRedirects)
                        return (null, false, $"{file.CallbackUrl} redirected more than {settings.MaxRedirects} times");
                    url = next;
                    continue;
                }
                if (response.IsSuccessStatusCode)
                {
                    if (response.Content.Headers.ContentLength > limit)
                        return (null, false, $"{url} announced {response.Content.Headers.ContentLength} bytes; the upload limit is {limit} bytes");
                    await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
                    var bytes = await ReadLimitedAsync(stream, limit, timeout.Token);
                    return bytes is null
                        ? (null, false, $"{url} sent more than the upload limit of {limit} bytes; the download was stopped")
                        : (bytes, false, "");
                }
                var body = await ReadLimitedAsync(await response.Content.ReadAsStreamAsync(timeout.Token), 4096, timeout.Token, truncate: true);
                var text = body is null ? "" : System.Text.Encoding.UTF8.GetString(body);
                var error = $"{file.CallbackUrl} answered {status} {response.ReasonPhrase}"
                    + (text.Length > 0 ? $": {text[..Math.Min(text.Length, 300)]}" : "");
                if (response.StatusCode == HttpStatusCode.Gone)
                    error = $"the callback URL expired or was already used (410 Gone); Garmin serves each file once within 24 h. {error}";
                var transient = status is 408 or 429 || status >= 500;
                return (null, transient, error);
            }
        }
        catch (HttpRequestException e)
        {
            return (null, true, $"{file.CallbackUrl} unreachable: {e.Message}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (null, true, $"{file.CallbackUrl} did not answer within {settings.FetchTimeoutSeconds} s");
        }
    }

    /// <summary>The stream's bytes up to <paramref name="limit"/>: null past it, or the first bytes when truncating.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, long limit, CancellationToken cancellationToken,
        bool truncate = false)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                if (!truncate) return null;
                buffer.Write(chunk, 0, (int)(limit - buffer.Length));
                break;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private Task FinishAsync(GarminActivityFile file, GarminFileStatus status, string? reason)
    {
        file.Status = status;
        file.Reason = reason;
        file.FetchedAt = clock.GetUtcNow();
        if (status == GarminFileStatus.Failed) log.LogWarning("Garmin file {SummaryId} failed: {Reason}", file.SummaryId, reason);
        else log.LogInformation("Garmin file {SummaryId} fetched as upload {UploadId}", file.SummaryId, file.UploadId);
        return gate.RunAsync(() => db.SaveChangesAsync(), upload: false);
    }
}
