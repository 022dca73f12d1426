using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NirsSync.Server.Auth;
using NirsSync.Data;

namespace NirsSync.Server.Uploads;

/// <summary>POST /api/uploads and GET /api/uploads/{id}.</summary>
public static class UploadEndpoints
{
    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/uploads").WithTags("Uploads");
        group.MapPost("", PostAsync)
            .Accepts<byte[]>("application/octet-stream", "multipart/form-data")
            .WithSummary("Upload a FIT file or a sensor export (raw body or multipart) with the athlete's upload token; ?start= places an export without a date")
            .DisableAntiforgery();
        group.MapGet("/summary", SummaryAsync).WithSummary("The athlete's uploads counted by status");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("The state of an upload: pending, processed or failed");
        return app;
    }

    internal static async Task<Results<Accepted<UploadStatusDto>, Ok<UploadStatusDto>, ProblemHttpResult>> PostAsync(
        HttpRequest request, ClaimsPrincipal user, UploadIntake intake, IOptions<NirsOptions> options,
        CancellationToken cancellationToken)
    {
        if (Viewer.From(user) is not { AthleteId: { } athleteId })
            return Problem(403, "Only athletes upload", "send the athlete's upload token as 'Authorization: Bearer <token>'");
        var (start, startError) = ExportStart.Parse(request);
        if (startError is not null) return Problem(400, "Upload rejected", startError);
        var body = await UploadReader.ReadAsync(request, options.Value.MaxUploadBytes, cancellationToken);
        if (body.Bytes is not { } bytes) return Refused(body.ErrorStatus, "Upload rejected", body.Error!);
        var result = await intake.AcceptAsync(athleteId, bytes, body.FileName, cancellationToken, start);
        if (result.Upload is not { } upload) return Refused(result.RejectStatus, "Not an acceptable FIT file", result.Reason!);
        return result.Created
            ? TypedResults.Accepted(UploadStatusDto.UrlOf(upload.Id), UploadStatusDto.From(upload))
            : TypedResults.Ok(UploadStatusDto.From(upload));
    }

    internal static async Task<Results<Ok<UploadStatusDto>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, AccessControl access, CancellationToken cancellationToken)
    {
        var viewer = Viewer.From(user)!;
        var upload = await access.VisibleUploads(viewer).FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return upload is null
            ? Problem(404, "Upload not found", $"no upload {id} that you may see")
            : TypedResults.Ok(UploadStatusDto.From(upload));
    }

    internal static async Task<Results<Ok<UploadSummaryDto>, ProblemHttpResult>> SummaryAsync(ClaimsPrincipal user,
        NirsDbContext db, CancellationToken cancellationToken)
    {
        if (Viewer.From(user) is not { AthleteId: { } athleteId })
            return Problem(403, "Only athletes have uploads", "send the athlete's upload token as 'Authorization: Bearer <token>'");
        var counts = await db.Uploads.AsNoTracking().Where(u => u.AthleteId == athleteId).GroupBy(u => u.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        int Of(UploadStatus s) => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0;
        return TypedResults.Ok(new UploadSummaryDto(Of(UploadStatus.Pending), Of(UploadStatus.Processed), Of(UploadStatus.Failed)));
    }

    private static ProblemHttpResult Refused(int status, string title, string detail)
    {
        Observability.NirsMetrics.UploadsRefused.Add(1, new KeyValuePair<string, object?>("status", status));
        return Problem(status, title, detail);
    }

    internal static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
