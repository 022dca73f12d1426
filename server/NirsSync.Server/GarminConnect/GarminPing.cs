using System.Text.Json;

namespace NirsSync.Server.GarminConnect;

/// <summary>One entry of the "activityFiles" list of a Garmin Activity API ping.</summary>
public sealed record GarminFileNotice(string UserId, string SummaryId, string FileType, string CallbackUrl,
    long? ActivityId, string? ActivityName, DateTimeOffset? StartTime);

/// <summary>A parsed ping: the activity files announced and the users who withdrew their consent.</summary>
public sealed record GarminPing(IReadOnlyList<GarminFileNotice> Files, IReadOnlyList<string> Deregistrations);

/// <summary>
/// Reads the JSON body Garmin posts: <c>{"activityFiles":[{"userId","summaryId","fileType","callbackURL",
/// "startTimeInSeconds","activityId","activityName",...}], "deregistrations":[{"userId"}]}</c>.
/// Unknown keys and other summary lists are ignored.
/// </summary>
public static class GarminPingReader
{
    public static GarminPing Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException("the notification must be a JSON object such as {\"activityFiles\":[...]}");
        var files = new List<GarminFileNotice>();
        foreach (var (item, index) in Items(root, "activityFiles"))
        {
            var where = $"activityFiles[{index}]";
            files.Add(new GarminFileNotice(
                Text(item, "userId", where, MaxIdLength) ?? throw Missing(where, "userId"),
                Text(item, "summaryId", where, MaxIdLength) ?? throw Missing(where, "summaryId"),
                Text(item, "fileType", where, MaxFileTypeLength) ?? throw Missing(where, "fileType"),
                Text(item, "callbackURL", where, MaxUrlLength) ?? throw Missing(where, "callbackURL"),
                Number(item, "activityId", where),
                Text(item, "activityName", where, MaxNameLength),
                Number(item, "startTimeInSeconds", where) is { } start ? DateTimeOffset.FromUnixTimeSeconds(start) : null));
        }
        var gone = new List<string>();
        foreach (var (item, index) in Items(root, "deregistrations"))
            gone.Add(Text(item, "userId", $"deregistrations[{index}]", MaxIdLength) ?? throw Missing($"deregistrations[{index}]", "userId"));
        return new GarminPing(files, gone);
    }

    private static IEnumerable<(JsonElement Item, int Index)> Items(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var list) || list.ValueKind == JsonValueKind.Null) yield break;
        if (list.ValueKind != JsonValueKind.Array) throw new FormatException($"\"{key}\" must be an array");
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw new FormatException($"{key}[{i}] must be an object");
            yield return (item, i++);
        }
    }

    // The column sizes of GarminActivityFiles and GarminLinks; SQLite does not enforce them, so they are checked here.
    public const int MaxIdLength = 128;
    public const int MaxFileTypeLength = 16;
    public const int MaxUrlLength = 2048;
    public const int MaxNameLength = 256;

    private static string? Text(JsonElement item, string name, string where, int maxLength)
    {
        if (!item.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new FormatException($"{where}.{name} must be a string"),
        };
        if (text is { Length: var n } && n > maxLength)
            throw new FormatException($"{where}.{name} is {n} characters long; at most {maxLength} are accepted");
        return text;
    }

    private static long? Number(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), out n)) return n;
        throw new FormatException($"{where}.{name} must be a whole number");
    }

    private static FormatException Missing(string where, string name) => new($"{where} has no \"{name}\"");
}
