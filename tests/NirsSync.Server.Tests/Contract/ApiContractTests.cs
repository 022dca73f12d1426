using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests.Contract;

/// <summary>
/// Pins the API's answers (JSON keys, values, CSV columns and lines, status codes) for the corpus Moxy files
/// against golden files in this folder, so a refactor that changes what a client reads fails here.
/// Ids are replaced by their order of first appearance and timestamps set by the server's clock by a marker.
/// To change the contract deliberately, regenerate the golden files and review the diff:
/// <c>NIRSSYNC_UPDATE_CONTRACT=1 dotnet test tests/NirsSync.Server.Tests -c Release --filter FullyQualifiedName~ApiContract</c>.
/// </summary>
public sealed partial class ApiContractTests : IAsyncLifetime
{
    private static readonly string[] MoxyFiles =
    [
        "runalyze/moxy-2sensors.fit",
        "runalyze/moxy-float.fit",
        "goldencheetah/Indoor_Cycling2smO2sensors.fit",
    ];

    private readonly ServerFactory _server = new();
    private readonly DateTimeOffset _began = DateTimeOffset.UtcNow.AddMinutes(-1);
    private readonly Dictionary<string, string> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, string Text)> _answers = [];

    public async Task InitializeAsync()
    {
        await _server.AddCoachAsync("coach@example.com");
        var (athlete, token) = await _server.AddAthleteAsync("Ann", "coach@example.com");
        var ann = _server.AthleteClient(token);
        var coach = await _server.CoachClientAsync("coach@example.com");
        var uploads = new List<UploadStatusDto>();
        foreach (var file in MoxyFiles)
        {
            var response = await ann.UploadAsync(Rides.Corpus(file));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var accepted = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
            uploads.Add(await ann.WaitProcessedAsync(accepted!.Id));
        }
        await TrendWait.CurrentAsync(coach, athlete);

        await AddAsync("me-coach", coach, "/api/me");
        await AddAsync("me-athlete", ann, "/api/me");
        await AddAsync("athletes", coach, "/api/athletes");
        await AddAsync("athletes-as-athlete", ann, "/api/athletes");
        await AddAsync("athlete", coach, $"/api/athletes/{athlete}");
        await AddAsync("tokens", coach, $"/api/athletes/{athlete}/tokens");
        await AddAsync("rides", coach, $"/api/athletes/{athlete}/rides");
        for (var i = 0; i < uploads.Count; i++)
        {
            await AddAsync($"upload-{i}", ann, $"/api/uploads/{uploads[i].Id}");
            await AddAsync($"ride-{i}", coach, $"/api/rides/{uploads[i].RideId}");
        }
        await AddAsync("uploads-summary", ann, "/api/uploads/summary");
        await AddAsync("trends", coach, $"/api/athletes/{athlete}/trends");
        await AddAsync("settings", coach, $"/api/athletes/{athlete}/settings");
        await AddAsync("sensor-map", coach, $"/api/athletes/{athlete}/sensor-map");
        await AddAsync("pairs", coach, $"/api/athletes/{athlete}/pairs");
        await AddAsync("rides-csv", coach, $"/api/athletes/{athlete}/rides.csv");
        await AddAsync("trends-csv", coach, $"/api/athletes/{athlete}/trends.csv");
        await AddAsync("ride-unknown", coach, $"/api/rides/{Guid.Empty}");
        await AddAsync("athlete-unknown", coach, $"/api/athletes/{Guid.Empty}/rides");
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    private static readonly string[] Names =
    [
        "me-coach", "me-athlete", "athletes", "athletes-as-athlete", "athlete", "tokens", "rides",
        "upload-0", "ride-0", "upload-1", "ride-1", "upload-2", "ride-2", "uploads-summary", "trends",
        "settings", "sensor-map", "pairs", "rides-csv", "trends-csv", "ride-unknown", "athlete-unknown",
    ];

    [Fact]
    public async Task EveryReadingAnswerMatchesItsGoldenFile()
    {
        var update = Environment.GetEnvironmentVariable("NIRSSYNC_UPDATE_CONTRACT") == "1";
        var folder = Path.Combine(Rides.RepoRoot(), "tests", "NirsSync.Server.Tests", "Contract");
        Assert.Equal(Names.Order(), _answers.Select(a => a.Name).Order());
        var differences = new List<string>();
        foreach (var (name, text) in _answers)
        {
            var path = Path.Combine(folder, name + ".golden");
            if (update)
            {
                await File.WriteAllTextAsync(path, text);
                continue;
            }
            Assert.True(File.Exists(path), $"golden file {path} missing: regenerate with NIRSSYNC_UPDATE_CONTRACT=1");
            var expected = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
            if (expected != text) differences.Add($"{name}: {FirstDifference(expected, text)}");
        }
        Assert.True(differences.Count == 0, "API answers differ from the golden files:\n" + string.Join("\n", differences));
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end>";
            var al = i < a.Length ? a[i] : "<end>";
            if (el != al) return $"line {i + 1}: expected `{el}`, got `{al}`";
        }
        return "same lines";
    }

    private async Task AddAsync(string name, HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        var type = response.Content.Headers.ContentType?.MediaType ?? "none";
        var header = $"GET {Normalise(path)}\n{(int)response.StatusCode} {type}\n";
        var text = type.Contains("json", StringComparison.Ordinal) && body.Length > 0
            ? NormaliseJson(JsonNode.Parse(body))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true })
            : Normalise(body.ReplaceLineEndings("\n"));
        _answers.Add((name, (header + text).ReplaceLineEndings("\n") + "\n"));
    }

    private JsonNode? NormaliseJson(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    // A problem's trace id and a token's random text differ on every run; their presence is kept.
                    if (key == "traceId" && obj[key] is not null) obj[key] = "trace";
                    else if (key == "prefix" && obj[key]?.GetValue<string>() is { Length: > 4 } prefix) obj[key] = prefix[..4] + "random";
                    else obj[key] = NormaliseJson(obj[key]?.DeepClone());
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) array[i] = NormaliseJson(array[i]?.DeepClone());
                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(Normalise(value.GetValue<string>()));
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                var d = value.GetValue<double>();
                // Fractions compared to 10 significant digits, so an FMA or vector width elsewhere does not count.
                return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? value
                    : JsonValue.Create(double.Parse(d.ToString("G10", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            default:
                return node;
        }
    }

    /// <summary>Ids become <c>id#N</c> in order of first appearance; timestamps from the server clock become <c>now</c>.</summary>
    private string Normalise(string text)
    {
        text = GuidPattern().Replace(text, m =>
        {
            if (m.Value == Guid.Empty.ToString()) return m.Value;
            if (!_ids.TryGetValue(m.Value, out var id)) _ids[m.Value] = id = "id#" + (_ids.Count + 1);
            return id;
        });
        var sb = new StringBuilder();
        var last = 0;
        foreach (Match m in TimePattern().Matches(text))
        {
            if (!DateTimeOffset.TryParse(m.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                || t < _began || t > DateTimeOffset.UtcNow.AddMinutes(1)) continue;
            sb.Append(text, last, m.Index - last).Append("now");
            last = m.Index + m.Length;
        }
        return sb.Append(text, last, text.Length - last).ToString();
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")]
    private static partial Regex TimePattern();
}
