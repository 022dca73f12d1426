using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NirsSync.Data.Accounts;
using NirsSync.Server.Auth;
using NirsSync.Data;

namespace NirsSync.Server.GarminConnect;

/// <summary>What a ping did: files queued for fetching, repeats of files already known, files not fetched.</summary>
public sealed record GarminPingResult(int Queued, int Duplicates, int Skipped, int Deregistered);

/// <summary>The new Garmin Connect link of an athlete.</summary>
public sealed record GarminLinkRequest(string GarminUserId, string AccessToken);

public sealed record GarminLinkDto(Guid AthleteId, string GarminUserId, DateTimeOffset LinkedAt);

/// <summary>
/// POST /api/garmin/activity-files: the Activity API ping receiver (answers 200 at once, fetching happens
/// in <see cref="GarminFetchJob"/>), and the admins' PUT/DELETE /api/garmin/links/{athleteId}.
/// </summary>
public static class GarminEndpoints
{
    public static IEndpointRouteBuilder MapGarminConnect(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/garmin").WithTags("Garmin Connect");
        group.MapPost("/activity-files", PingAsync).AllowAnonymous().DisableAntiforgery()
            .WithSummary("Garmin Activity API ping with the webhook secret in the X-NirsSync-Webhook-Secret header");
        group.MapPost("/activity-files/{secret}", PingAsync).AllowAnonymous().DisableAntiforgery()
            .WithSummary("Garmin Activity API ping: activityFiles with callback URLs, and deregistrations; the last path segment is the webhook secret");
        group.MapPut("/links/{athleteId:guid}", LinkAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Link an athlete to a Garmin Connect user id with that user's OAuth access token");
        group.MapDelete("/links/{athleteId:guid}", UnlinkAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Remove an athlete's Garmin Connect link");
        return app;
    }

    internal static async Task<Results<Ok<GarminPingResult>, ProblemHttpResult>> PingAsync(HttpRequest request,
        NirsDbContext db, WriteGate gate, IGarminCredentialStore credentials, GarminLinks links,
        IBackgroundJobClient jobs, IOptions<GarminOptions> options, TimeProvider clock, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.WebhookSecret is not { Length: > 0 } secret)
            return Problem(401, "Garmin push is off",
                "this server has no Garmin webhook secret (NirsSync:Garmin:WebhookSecret), so it accepts no Garmin notification");
        var given = request.RouteValues["secret"] as string ?? request.Headers[GarminOptions.WebhookSecretHeader].ToString();
        if (!SameSecret(given, secret))
            return Problem(401, "Unknown sender", "the notification does not carry this server's Garmin webhook secret");
        if (settings.ClientId is { Length: > 0 } clientId
            && request.Headers["garmin-client-id"].ToString() != clientId)
            return Problem(401, "Unknown sender", "the garmin-client-id header does not match this server's Garmin client id");
        if (request.ContentLength > settings.MaxPingBytes)
            return Problem(413, "Notification too large", $"the body is {request.ContentLength} bytes; at most {settings.MaxPingBytes} are accepted");
        GarminPing ping;
        try
        {
            var body = await ReadLimitedAsync(request.Body, settings.MaxPingBytes, cancellationToken);
            if (body is null)
                return Problem(413, "Notification too large", $"the body exceeds {settings.MaxPingBytes} bytes");
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            ping = GarminPingReader.Read(json.RootElement);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return Problem(400, "Not a Garmin notification", e.Message);
        }
        catch (BadHttpRequestException e)
        {
            return Problem(e.StatusCode, "Unreadable notification", $"the body could not be read: {e.Message}");
        }
        if (ping.Files.Count + ping.Deregistrations.Count > settings.MaxPingEntries)
            return Problem(413, "Notification too large",
                $"{ping.Files.Count} activity files and {ping.Deregistrations.Count} deregistrations; at most {settings.MaxPingEntries} entries are accepted");

        var deregistered = 0;
        foreach (var user in ping.Deregistrations) deregistered += await links.UnlinkGarminUserAsync(user, cancellationToken);
        var files = db.Set<GarminActivityFile>();
        int duplicates = 0, skipped = 0;
        var queued = new List<Guid>();
        foreach (var notice in ping.Files)
        {
            if (await files.AnyAsync(f => f.GarminUserId == notice.UserId && f.SummaryId == notice.SummaryId,
                    cancellationToken))
            {
                duplicates++;
                continue;
            }
            var owner = await credentials.FindByGarminUserAsync(notice.UserId, cancellationToken);
            if (owner is null)
            {
                // Nothing is stored for a Garmin user no athlete is linked to: a ping cannot fill the database.
                skipped++;
                continue;
            }
            var row = new GarminActivityFile
            {
                Id = Guid.CreateVersion7(), GarminUserId = notice.UserId, SummaryId = notice.SummaryId,
                AthleteId = owner?.AthleteId, FileType = notice.FileType, CallbackUrl = notice.CallbackUrl,
                ActivityId = notice.ActivityId, ActivityName = notice.ActivityName, StartTime = notice.StartTime,
                ReceivedAt = clock.GetUtcNow(), Status = GarminFileStatus.Pending,
            };
            row.Reason = WhyNotFetched(notice, owner, settings);
            if (row.Reason is not null)
            {
                row.Status = GarminFileStatus.Skipped;
                skipped++;
            }
            try
            {
                files.Add(row);
                await gate.RunAsync(() => db.SaveChangesAsync(cancellationToken), upload: true, cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same notification is being handled by a concurrent request.
                db.ChangeTracker.Clear();
                duplicates++;
                if (row.Status == GarminFileStatus.Skipped) skipped--;
                continue;
            }
            if (row.Status == GarminFileStatus.Pending) queued.Add(row.Id);
        }
        foreach (var id in queued) jobs.Enqueue<GarminFetchJob>(job => job.RunAsync(id));
        loggers.CreateLogger(typeof(GarminEndpoints)).LogInformation(
            "Garmin ping: {Queued} files queued, {Duplicates} repeats, {Skipped} skipped, {Deregistered} links removed",
            queued.Count, duplicates, skipped, deregistered);
        return TypedResults.Ok(new GarminPingResult(queued.Count, duplicates, skipped, deregistered));
    }

    /// <summary>Compares the secrets in constant time (by their SHA-256, so the length leaks nothing either).</summary>
    private static bool SameSecret(string given, string expected) =>
        given.Length > 0 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(given)),
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expected)));

    /// <summary>The body's bytes, or null past <paramref name="limit"/>; never more than the limit is buffered.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string? WhyNotFetched(GarminFileNotice notice, GarminCredentials? owner, GarminOptions settings)
    {
        if (!notice.FileType.Equals("FIT", StringComparison.OrdinalIgnoreCase))
            return $"file type {notice.FileType} is not FIT; NirsSync reads only FIT files";
        if (owner is null) return $"no athlete is linked to Garmin user {notice.UserId}";
        if (!Uri.TryCreate(notice.CallbackUrl, UriKind.Absolute, out var url) || !settings.IsAllowedCallback(url))
            return $"callback URL {notice.CallbackUrl} is not under an allowed prefix ({string.Join(", ", settings.CallbackPrefixes)})";
        return null;
    }

    internal static async Task<Results<Ok<GarminLinkDto>, ProblemHttpResult>> LinkAsync(Guid athleteId,
        GarminLinkRequest body, GarminLinks links, CancellationToken cancellationToken)
    {
        try
        {
            var link = await links.LinkAsync(athleteId, body.GarminUserId ?? "", body.AccessToken ?? "", cancellationToken);
            return TypedResults.Ok(new GarminLinkDto(link.AthleteId, link.GarminUserId, link.LinkedAt));
        }
        catch (AccountException e)
        {
            return Problem(e.Message.StartsWith("no athlete", StringComparison.Ordinal) ? 404
                : e.Message.Contains("already linked", StringComparison.Ordinal) ? 409 : 400, "Cannot link", e.Message);
        }
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> UnlinkAsync(Guid athleteId, GarminLinks links,
        CancellationToken cancellationToken) =>
        await links.UnlinkAthleteAsync(athleteId, cancellationToken) == 0
            ? Problem(404, "No link", $"athlete {athleteId} has no Garmin Connect link")
            : TypedResults.NoContent();

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
