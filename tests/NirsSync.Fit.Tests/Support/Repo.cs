namespace NirsSync.Fit.Tests;

/// <summary>Locates the repository root and the shared FIT corpus (read in place, never copied).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/fit-corpus beside the repository, or NIRSSYNC_FIT_CORPUS.</summary>
    public static string Corpus { get; } =
        Environment.GetEnvironmentVariable("NIRSSYNC_FIT_CORPUS") is { Length: > 0 } c
            ? c
            : Path.GetFullPath(Path.Combine(Root, "..", "shared", "fit-corpus"));

    public static string CorpusFile(string relative) => Path.Combine(Corpus, relative);

    /// <summary>Every FIT file of the corpus, as paths relative to it, sorted.</summary>
    public static IReadOnlyList<string> CorpusFiles { get; } = Directory.Exists(Corpus)
        ? Directory.EnumerateFiles(Corpus, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".fit", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(Corpus, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).ToList()
        : throw new DirectoryNotFoundException($"FIT corpus not found at {Corpus}");

    public static TheoryData<string> CorpusTheory()
    {
        var data = new TheoryData<string>();
        foreach (var f in CorpusFiles) data.Add(f);
        return data;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NirsSync.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("NirsSync.sln not found above " + AppContext.BaseDirectory);
    }
}
