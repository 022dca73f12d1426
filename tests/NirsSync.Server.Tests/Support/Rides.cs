using NirsSync.Fit.Synthetic;

namespace NirsSync.Server.Tests;

/// <summary>FIT files for tests (in the tests' root namespace so `Rides.` is not taken for the server's Rides folder): synthetic rides written by the codec's encoder, and the shared corpus.</summary>
public static class Rides
{
    public static byte[] Synthetic(int seed = 1, int minutes = 30, DateTimeOffset? start = null) =>
        SyntheticRide.Generate(new SyntheticRideOptions
        {
            Seed = seed,
            Duration = TimeSpan.FromMinutes(minutes),
            Start = start ?? new DateTimeOffset(2026, 11, 2, 7, 0, 0, TimeSpan.Zero).AddDays(seed % 50),
        });

    /// <summary>A file of ../shared/fit-corpus (found from the directory holding NirsSync.sln).</summary>
    public static byte[] Corpus(string relative) => File.ReadAllBytes(Path.Combine(CorpusRoot(), relative));

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NirsSync.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NirsSync.sln not found above " + AppContext.BaseDirectory);
    }

    public static string CorpusRoot() => Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "fit-corpus"));
}
