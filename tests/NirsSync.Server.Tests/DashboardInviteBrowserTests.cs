using Microsoft.Playwright;
using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>
/// The coach's invite in headless chromium at phone and desktop size: the coach makes the link on the athlete page, the
/// rider opens it in a fresh browser, chooses email and password, lands on their own page and cannot open another
/// athlete's; the used link is refused. Screenshots go to TestResults/screenshots.
/// </summary>
[Collection("browser")]
public sealed class DashboardInviteBrowserTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "nirssync-invite-ui-" + Guid.NewGuid().ToString("N"));
    private static readonly string Shots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Shots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, name + ".png"), FullPage = true });
    }

    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task CoachInvitesTheRiderWhoSignsInToTheirOwnPagesOnce(int width)
    {
        var (ann, _) = await ServerProcess.SeedAthleteAsync(_data, "coach@example.com", "Ann Rider");
        var (ben, _) = await ServerProcess.SeedAthleteAsync(_data, "coach@example.com", "Ben Other");
        using var server = new ServerProcess(_data);
        await server.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var size = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 };
        string Url(string path) => new Uri(server.BaseAddress, path).ToString();

        // The coach: sign in, open Ann's page, "Invite rider" shows the link to copy.
        await using var coachContext = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = size });
        var coach = await coachContext.NewPageAsync();
        // Generous: CI machines run these beside several test classes at once (30 s was seen to run out).
        coach.SetDefaultTimeout(90_000);
        coach.SetDefaultNavigationTimeout(90_000);
        await coach.GotoAsync(Url("/login"));
        await coach.FillAsync("input[name=email]", "coach@example.com");
        await coach.FillAsync("input[name=password]", "coach-password-1");
        await coach.ClickAsync("button[type=submit]");
        await PageWaits.AtAsync(coach, "**/dashboard");
        await coach.GotoAsync(Url($"/dashboard/athletes/{ann}"));
        await coach.ClickAsync("button.invite-rider");
        var linkBox = coach.Locator(".invite-link input");
        await linkBox.WaitForAsync();
        var link = await linkBox.InputValueAsync();
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(server.BaseAddress.ToString().TrimEnd('/'))}/invite/[A-Za-z0-9_-]{{43}}$", link);
        Assert.Contains("good once, until", await coach.Locator(".invite-link .expires").InnerTextAsync());
        await ShotAsync(coach, $"invite-coach-{width}");

        // The rider, in a browser of their own: the form, then their own page.
        await using var riderContext = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = size });
        var rider = await riderContext.NewPageAsync();
        // Generous: CI machines run these beside several test classes at once (30 s was seen to run out).
        rider.SetDefaultTimeout(90_000);
        rider.SetDefaultNavigationTimeout(90_000);
        var opened = await rider.GotoAsync(link);
        Assert.Equal(200, opened!.Status);
        Assert.Contains("Ann Rider", await rider.InnerTextAsync("form"));
        await rider.FillAsync("input[name=email]", "ann@example.com");
        await rider.FillAsync("input[name=password]", "ann-password-1");
        await rider.FillAsync("input[name=confirm]", "ann-password-1");
        await ShotAsync(rider, $"invite-form-{width}");
        await rider.ClickAsync("button[type=submit]");
        await PageWaits.AtAsync(rider, $"**/dashboard/athletes/{ann}");
        Assert.Equal("Ann Rider", await rider.InnerTextAsync("h1"));
        Assert.Contains("ann@example.com", await rider.InnerTextAsync("header"));
        Assert.Equal(0, await rider.Locator("button.invite-rider").CountAsync());
        await ShotAsync(rider, $"invite-rider-home-{width}");
        Assert.Equal(404, (await rider.GotoAsync(Url($"/dashboard/athletes/{ben}")))!.Status);
        Assert.Equal(404, (await rider.GotoAsync(Url($"/api/athletes/{ben}/trends")))!.Status);

        // The used link, in yet another browser: refused with the clear page.
        await using var thirdContext = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = size });
        var third = await thirdContext.NewPageAsync();
        // Generous: CI machines run these beside several test classes at once (30 s was seen to run out).
        third.SetDefaultTimeout(90_000);
        third.SetDefaultNavigationTimeout(90_000);
        var used = await third.GotoAsync(link);
        Assert.Equal(404, used!.Status);
        Assert.Contains("not valid", await third.InnerTextAsync("[role=alert]"));
        Assert.Equal(0, await third.Locator("input[name=password]").CountAsync());
        await ShotAsync(third, $"invite-used-{width}");

        // The coach's page now says the rider signs in themself.
        await coach.ReloadAsync();
        Assert.Contains("signs in with their own email and password", await coach.InnerTextAsync("main"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { }
    }
}
