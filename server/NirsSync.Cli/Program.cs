using System.CommandLine;

namespace NirsSync.Cli;

/// <summary>The <c>nirssync</c> command: one subcommand group per feature.</summary>
public static class Program
{
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("NirsSync: muscle-oxygen FIT files, analysis, sync and administration");
        // One line per feature; each feature lives in its own folder.
        root.Subcommands.Add(FitCommands.Create());
        root.Subcommands.Add(BenchCommands.Create());
        root.Subcommands.Add(Admin.AdminCommands.Create());
        root.Subcommands.Add(Upload.UploadCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        Sync.SyncCommands.AddTo(root);
        return root;
    }
}
