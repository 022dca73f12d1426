using System.Text.Json;

namespace NirsSync.Server.Ingest;

/// <summary>Which sensors (ANT device numbers) a stored ride's channels came from.</summary>
public static class RideDevices
{
    /// <summary>True when any channel in <paramref name="channelsJson"/> has a sensor (ANT device number) in <paramref name="devices"/>.</summary>
    public static bool Uses(string channelsJson, IReadOnlyCollection<int> devices)
    {
        using var doc = JsonDocument.Parse(channelsJson);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return false;
        foreach (var channel in doc.RootElement.EnumerateArray())
            if (channel.ValueKind == JsonValueKind.Object && channel.TryGetProperty("sensor", out var d)
                && d.TryGetInt32(out var device) && devices.Contains(device))
                return true;
        return false;
    }
}
