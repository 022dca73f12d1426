using NirsSync.Analysis;

namespace NirsSync.Server.Ingest;

/// <summary>Which sensors (ANT device numbers) a stored ride's channels came from.</summary>
public static class RideDevices
{
    /// <summary>True when any of <paramref name="channels"/> has a sensor (ANT device number) in <paramref name="devices"/>.</summary>
    public static bool Uses(IEnumerable<ChannelInfo> channels, IReadOnlyCollection<int> devices) =>
        channels.Any(c => c.Sensor is { } s && s <= int.MaxValue && devices.Contains((int)s));
}
