using NirsSync.Data.Documents;
namespace NirsSync.Server.Ingest;

/// <summary>Everything the ingest job stores for a ride. The JSON documents come from the analysis core.</summary>
public sealed record RideContent(
    DateTimeOffset StartTime,
    double DurationSeconds,
    int RecordCount,
    double? AveragePower,
    string ChannelsJson,
    string MetricsJson,
    string PairsJson,
    RideSeries Series,
    string? Warning,
    string SummaryJson,
    NirsSync.Analysis.RestAssessment? Assessment = null);

/// <summary>A file that decodes but cannot become a ride; the message is the upload's failure reason.</summary>
public sealed class RideRejectedException(string message) : Exception(message);
