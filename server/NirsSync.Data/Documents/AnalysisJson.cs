using System.Text.Json;
using System.Text.Json.Serialization;

namespace NirsSync.Data.Documents;

/// <summary>How analysis results are stored and served: camelCase names, enums as snake_case names.</summary>
public static class AnalysisJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
