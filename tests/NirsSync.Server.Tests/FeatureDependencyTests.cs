using System.Text.RegularExpressions;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// The server's folders (one namespace each) may depend on each other only one way: reads every source file's
/// namespace, its <c>using NirsSync.Server.X</c> lines and its qualified <c>X.Name</c> references to sibling
/// namespaces, and fails naming the folders of any cycle.
/// </summary>
public sealed partial class FeatureDependencyTests
{
    [Fact]
    public void NoTwoServerFoldersDependOnEachOtherInACircle()
    {
        var graph = Graph();
        Assert.Contains("Athletes", graph.Keys);
        Assert.Contains("Ingest", graph["Uploads"].Concat(graph["Athletes"]));
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order())).ToList();
        Assert.True(cycles.Count == 0, "server folders depend on each other in a circle: " + string.Join("; ", cycles));
    }

    [Fact]
    public void TheCycleFinderReportsACircle()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"],
        };
        var cycle = Assert.Single(StronglyConnected(graph), c => c.Count > 1);
        Assert.Equal(["A", "B", "C"], cycle.Order());
    }

    private static Dictionary<string, HashSet<string>> Graph()
    {
        var root = Path.Combine(Rides.RepoRoot(), "server", "NirsSync.Server");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path: f, Text: File.ReadAllText(f))).ToList();
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var (_, text) in files)
            if (Namespace().Match(text) is { Success: true } m) graph.TryAdd(m.Groups[1].Value, []);
        foreach (var (_, text) in files)
        {
            if (Namespace().Match(text) is not { Success: true } m) continue;
            var own = m.Groups[1].Value;
            var uses = Using().Matches(text).Select(u => u.Groups[1].Value)
                .Concat(Qualified().Matches(text).Select(q => q.Groups[1].Value).Where(graph.ContainsKey));
            foreach (var other in uses.Where(u => u != own && graph.ContainsKey(u))) graph[own].Add(other);
        }
        return graph;
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in graph.GetValueOrDefault(v, []))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (stack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); component.Add(x); } while (x != v);
            result.Add(component);
        }
        foreach (var v in graph.Keys.Where(v => !index.ContainsKey(v)).ToList()) Visit(v);
        return result;
    }

    [GeneratedRegex(@"^namespace NirsSync\.Server\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using NirsSync\.Server\.(\w+);", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"(?<![\w.])(?:Server\.)?([A-Z]\w+)\.[A-Z]\w*")]
    private static partial Regex Qualified();
}
