using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NirsSync.Data;

namespace NirsSync.Server.Hosting;

/// <summary>Healthy when the database (SQLite or PostgreSQL) answers a query; /health answers 503 otherwise.</summary>
internal sealed class DatabaseHealthCheck(NirsDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await db.Uploads.CountAsync(u => u.Status == UploadStatus.Pending, cancellationToken);
            return HealthCheckResult.Healthy($"{pending} uploads pending");
        }
        catch (Exception e) when (e is InvalidOperationException || DataServices.IsUnreachable(e))
        {
            return HealthCheckResult.Unhealthy("database unavailable", e);
        }
    }
}
