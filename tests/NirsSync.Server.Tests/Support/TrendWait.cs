using System.Net.Http.Json;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Tests.Support;

public static class TrendWait
{
    /// <summary>Polls the athlete's trends until they include every ride (or fails after 30 s).</summary>
    public static async Task<TrendsDto> CurrentAsync(HttpClient client, Guid athleteId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var trends = await client.GetFromJsonAsync<TrendsDto>($"/api/athletes/{athleteId}/trends", Json.Options);
            if (trends!.Current && trends.Trends is not null) return trends;
            Assert.True(DateTime.UtcNow < deadline, "trends not current after 30 s");
            await Task.Delay(50);
        }
    }
}
