using NirsSync.Fit;

namespace NirsSync.Analysis.Tests;

/// <summary>The shared corpus, found by walking up to the directory holding NirsSync.sln.</summary>
internal static class Corpus
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NirsSync.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException($"NirsSync.sln not found above {AppContext.BaseDirectory}");
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fit-corpus"));
    }

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path.Combine(Root, relative));

    public static RideFrame Columnar(string relative) => RideFrame.FromFitRide(FitColumnarReader.Read(Bytes(relative)));

    public static RideFrame Messages(string relative) => RideFrame.FromFitFile(FitDecoder.Decode(Bytes(relative)));
}
