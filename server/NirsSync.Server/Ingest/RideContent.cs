using NirsSync.Data.Documents;
namespace NirsSync.Server.Ingest;

/// <summary>
/// Everything the ingest job stores for a ride, all from the analysis core: start, duration, rows and
/// average power, the stored document (metrics, pairs, chart) and the summary values for the trends.
/// </summary>
public sealed record RideContent(
    DateTimeOffset StartTime,
    double DurationSeconds,
    int RecordCount,
    double? AveragePower,
    RideDocument Document,
    string? Warning,
    string SummaryJson,
    NirsSync.Analysis.RestAssessment? Assessment = null);

/// <summary>A file that decodes but cannot become a ride; the message is the upload's failure reason.</summary>
public sealed class RideRejectedException(string message) : Exception(message);
