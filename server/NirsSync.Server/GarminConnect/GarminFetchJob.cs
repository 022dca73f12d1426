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
    IOptions<GarminOptions> options, TimeProvider clock, ILogger<GarminFetchJob> log)
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

    private async Task<(byte[]? Bytes, bool Transient, string Error)> DownloadAsync(GarminActivityFile file,
        GarminCredentials owner)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, file.CallbackUrl);
        signer.Sign(request, owner);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.FetchTimeoutSeconds));
        try
        {
            using var response = await http.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode) return (await response.Content.ReadAsByteArrayAsync(timeout.Token), false, "");
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var error = $"{file.CallbackUrl} answered {status} {response.ReasonPhrase}"
                + (body.Length > 0 ? $": {body[..Math.Min(body.Length, 300)]}" : "");
            if (response.StatusCode == HttpStatusCode.Gone)
                error = $"the callback URL expired or was already used (410 Gone); Garmin serves each file once within 24 h. {error}";
            var transient = status is 408 or 429 || status >= 500;
            return (null, transient, error);
        }
        catch (HttpRequestException e)
        {
            return (null, true, $"{file.CallbackUrl} unreachable: {e.Message}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (null, true, $"{file.CallbackUrl} did not answer within {options.Value.FetchTimeoutSeconds} s");
        }
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
