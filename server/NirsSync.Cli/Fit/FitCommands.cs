using System.CommandLine;

namespace NirsSync.Cli;

/// <summary><c>nirssync fit dump|check</c>.</summary>
internal static class FitCommands
{
    public static Command Create()
    {
        var fit = new Command("fit", "Inspect FIT files");

        var dumpFile = new Argument<FileInfo>("FILE") { Description = "FIT file to dump" };
        var lenient = new Option<bool>("--lenient") { Description = "Dump what is readable before damage instead of failing" };
        var dump = new Command("dump", "One JSON object per data message per line, raw values, in file order")
        {
            dumpFile, lenient,
        };
        dump.SetAction(r => FitDump.Run(r.GetValue(dumpFile)!, r.GetValue(lenient), Console.OpenStandardOutput(), Console.Error));
        fit.Subcommands.Add(dump);

        var checkFile = new Argument<FileInfo>("FILE") { Description = "FIT file to check" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var check = new Command("check", "Integrity summary; exit code 0 for a sound file, 1 for a damaged one")
        {
            checkFile, json,
        };
        check.SetAction(r => FitCheck.Run(r.GetValue(checkFile)!, r.GetValue(json), Console.Out, Console.Error));
        fit.Subcommands.Add(check);
        return fit;
    }
}
