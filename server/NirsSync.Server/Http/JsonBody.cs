using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

using NirsSync.Data.Documents;

namespace NirsSync.Server.Http;

/// <summary>Reads a request's JSON body with the API's serializer options; malformed JSON is a 400 naming the error.</summary>
internal static class JsonBody
{
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request)
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, AnalysisJson.Options,
                request.HttpContext.RequestAborted), null);
        }
        catch (JsonException e)
        {
            return (default, Problems.Invalid($"malformed JSON: {e.Message}"));
        }
    }
}
