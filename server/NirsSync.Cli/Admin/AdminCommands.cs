using System.CommandLine;
using NirsSync.Data.Accounts;
using NirsSync.Data;

namespace NirsSync.Cli.Admin;

/// <summary><c>nirssync admin add-coach|add-athlete|token|revoke-tokens|promote|demote</c>: bootstrap accounts in the server's database.</summary>
internal static class AdminCommands
{
    public static Command Create()
    {
        var admin = new Command("admin", "Manage coaches, athletes and upload tokens in the server's database");
        var data = new Option<DirectoryInfo?>("--data")
        {
            Description = "The server's data folder (default: $NirsSync__DataDirectory, else the user's local app data folder)",
            Recursive = true,
        };
        admin.Options.Add(data);

        var email = new Option<string>("--email") { Description = "The coach's email (the sign-in name)", Required = true };
        var password = new Option<string>("--password") { Description = "The coach's password (10 characters or more)", Required = true };
        var isAdmin = new Option<bool>("--admin") { Description = "May open the Hangfire dashboard" };
        var addCoach = new Command("add-coach", "Create a coach who signs in to the dashboard") { email, password, isAdmin };
        addCoach.SetAction((r, ct) => AdminRunner.RunAsync(r.GetValue(data), Console.Out, Console.Error,
            a => a.AddCoachAsync(r.GetValue(email)!, r.GetValue(password)!, r.GetValue(isAdmin))));
        admin.Subcommands.Add(addCoach);

        var name = new Option<string>("--name") { Description = "The athlete's name", Required = true };
        var coach = new Option<string>("--coach") { Description = "Email of the coach the athlete links to (without it, --email and --password make a self-coached rider)" };
        var athleteEmail = new Option<string>("--email") { Description = "The athlete's own sign-in email: they see exactly their own dashboard" };
        var athletePassword = new Option<string>("--password") { Description = "The athlete's password (10 characters or more); with --email" };
        var timeZone = new Option<string>("--time-zone")
        {
            Description = "IANA time zone whose ISO weeks the weekly trends use (e.g. Europe/Berlin)",
            DefaultValueFactory = _ => AthleteTimeZones.Utc,
        };
        var addAthlete = new Command("add-athlete", "Create an athlete; prints the athlete id and an upload token") { name, coach, timeZone, athleteEmail, athletePassword };
        addAthlete.Validators.Add(r =>
        {
            if (r.GetResult(coach) is null && r.GetResult(athleteEmail) is null)
                r.AddError("Option '--coach' is required (or --email and --password for a self-coached rider).");
            if ((r.GetResult(athleteEmail) is null) != (r.GetResult(athletePassword) is null))
                r.AddError("Options '--email' and '--password' go together (the athlete's own sign-in).");
        });
        addAthlete.SetAction((r, ct) => AdminRunner.RunAsync(r.GetValue(data), Console.Out, Console.Error,
            a => a.AddAthleteAsync(r.GetValue(name)!, r.GetValue(coach), r.GetValue(timeZone)!, r.GetValue(athleteEmail), r.GetValue(athletePassword))));
        admin.Subcommands.Add(addAthlete);

        var athlete = new Option<Guid>("--athlete") { Description = "The athlete id", Required = true };
        var token = new Command("token", "Issue another upload token for an athlete (shown once)") { athlete };
        token.SetAction((r, ct) => AdminRunner.RunAsync(r.GetValue(data), Console.Out, Console.Error,
            a => a.IssueTokenAsync(r.GetValue(athlete))));
        admin.Subcommands.Add(token);

        var revokeAthlete = new Option<Guid>("--athlete") { Description = "The athlete id", Required = true };
        var revoke = new Command("revoke-tokens", "Revoke every upload token of an athlete") { revokeAthlete };
        revoke.SetAction((r, ct) => AdminRunner.RunAsync(r.GetValue(data), Console.Out, Console.Error,
            a => a.RevokeTokensAsync(r.GetValue(revokeAthlete))));
        admin.Subcommands.Add(revoke);

        foreach (var (verb, grant, what) in new[] { ("promote", true, "Give a coach the admin right (Hangfire dashboard, Garmin links)"),
                     ("demote", false, "Withdraw a coach's admin right; their sessions end") })
        {
            var coachEmail = new Option<string>("--email") { Description = "The coach's email (the sign-in name)", Required = true };
            var command = new Command(verb, what) { coachEmail };
            command.SetAction((r, ct) => AdminRunner.RunAsync(r.GetValue(data), Console.Out, Console.Error,
                a => a.SetAdminAsync(r.GetValue(coachEmail)!, grant)));
            admin.Subcommands.Add(command);
        }
        return admin;
    }
}
