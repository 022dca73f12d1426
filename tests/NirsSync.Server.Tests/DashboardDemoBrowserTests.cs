using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NirsSync.Server.Athletes;
using NirsSync.Server.Demo;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Trends;

namespace NirsSync.Server.Tests;

/// <summary>A server seeded with <c>--seed-demo</c> (two athletes, twelve weeks) through the real upload path.</summary>
public sealed class DemoServer : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "nirssync-demo-ui-" + Guid.NewGuid().ToString("N"));
    public ServerProcess Server { get; private set; } = null!;
    public Dictionary<string, Guid> Athletes { get; } = [];

    public async Task InitializeAsync()
    {
        Server = new ServerProcess(_data, new Dictionary<string, string> { ["NirsSync__SeedDemo"] = "true" });
        var now = DateTimeOffset.UtcNow;
        await Server.StartAsync();
        var expected = DemoPlan.Athletes.ToDictionary(a => a.Name, a => DemoPlan.Rides(a, now).Count());
        var deadline = DateTime.UtcNow.AddMinutes(5);
        // The seeder creates the demo coach once the server listens.
        HttpClient? signedIn = null;
        while (signedIn is null)
        {
            try { signedIn = await SignedInAsync(DemoPlan.CoachEmail, DemoPlan.CoachPassword); }
            catch (Xunit.Sdk.EqualException) when (DateTime.UtcNow < deadline) { await Task.Delay(200); }
        }
        using var coach = signedIn;
        while (true)
        {
            var list = await coach.GetFromJsonAsync<List<AthleteDto>>("/api/athletes", Json.Options) ?? [];
            var done = list.Count == expected.Count && list.All(a => a.Rides >= expected[a.Name]);
            if (done)
            {
                var current = true;
                foreach (var a in list)
                    current &= (await coach.GetFromJsonAsync<TrendsDto>($"/api/athletes/{a.Id}/trends", Json.Options))!.Current;
                if (current)
                {
                    foreach (var a in list) Athletes[a.Name] = a.Id;
                    return;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "the demo was not seeded within 5 minutes");
            await Task.Delay(500);
        }
    }

    /// <summary>An HTTP client signed in through the JSON sign-in (the session cookie).</summary>
    public async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Server.BaseAddress };
        var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return http;
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Every dashboard page in Debian's headless chromium at phone (390 px) and desktop (1280 px) size, on the demo: the coach's
/// team overview with flags, an athlete's trend charts, a ride with efforts; a rider's own view. Screenshots go to
/// TestResults/screenshots beside the test assembly.
/// </summary>
[Collection("browser")]
public sealed class DashboardDemoBrowserTests(DemoServer demo) : IClassFixture<DemoServer>
{
    private static readonly string Shots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
    private static readonly Regex Number = new(@"-?\d+(\.\d+)?", RegexOptions.CultureInvariant);

    private static async Task<(IPlaywright, IBrowser)> BrowserAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    private async Task<IPage> SignInAsync(IBrowser browser, int width, string email, string password)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 } });
        // Generous: CI machines run these beside several test classes at once (30 s was seen to run out).
        page.SetDefaultTimeout(90_000);
        page.SetDefaultNavigationTimeout(90_000);
        await page.GotoAsync(new Uri(demo.Server.BaseAddress, "/login").ToString());
        await page.FillAsync("input[name=email]", email);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        await PageWaits.AtAsync(page, "**/dashboard**");
        return page;
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Shots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, name + ".png"), FullPage = true });
    }

    /// <summary>Moves the mouse over a drawn chart and returns the value its legend reads out.</summary>
    private static async Task<string> HoverAsync(ILocator chart)
    {
        var over = chart.Locator(".u-over");
        var box = (await over.BoundingBoxAsync())!;
        await over.HoverAsync(new LocatorHoverOptions { Position = new Position { X = box.Width * 0.6f, Y = box.Height / 2 } });
        return await chart.Locator(".u-legend .u-series").Nth(1).Locator(".u-value").InnerTextAsync();
    }

    /// <summary>
    /// Clicks a link and waits until the page is at <paramref name="url"/> (committed; the caller waits for what it
    /// needs on the new page). A click that did not navigate is made again instead of waiting out the test's timeout.
    /// (The "clicks that did not navigate" seen in earlier full runs were most likely navigations whose event
    /// <c>WaitForURLAsync</c> lost; <see cref="PageWaits"/> asks the browser side instead, so the retry is only a guard.)
    /// </summary>
    internal static async Task ClickThroughAsync(IPage page, ILocator link, string url)
    {
        for (var attempt = 1; ; attempt++)
        {
            await link.ClickAsync();
            try
            {
                await PageWaits.AtAsync(page, url, timeoutMs: 20_000, load: false);
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task NoSidewaysScrollAsync(IPage page, int width)
    {
        var scroll = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scroll <= width, $"{page.Url} scrolls sideways at {width} px ({scroll} px wide)");
    }

    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task CoachSeesWhoIsOutOfBalanceAndDrillsIntoTheRide(int width)
    {
        var (playwright, browser) = await BrowserAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await SignInAsync(browser, width, DemoPlan.CoachEmail, DemoPlan.CoachPassword);

        // The overview: both athletes, Tom (the growing dysbalance) first, flagged weeks in his heat map.
        var rows = page.Locator("table.overview tbody tr.athlete");
        Assert.Equal(2, await rows.CountAsync());
        // Most attention first. Both demo riders need it (Tom's dysbalance, Lena's re-taped sensor and growing lag),
        // so the test holds the order to the scores rather than to a name.
        var scores = new List<double>();
        for (var i = 0; i < 2; i++)
            scores.Add(double.Parse((await rows.Nth(i).GetAttributeAsync("data-attention"))!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(scores[0] >= scores[1] && scores[1] > 0, $"attention scores {scores[0]}, {scores[1]}");
        var tom = page.Locator($"tr[data-athlete='{demo.Athletes["Tom Kraus"]}']");
        // Which pair metric carries Tom's flags depends on the noise rules (docs/reading-flags.md); that his heat map
        // shows flagged weeks and his flags are listed is what the coach needs to see.
        Assert.True(await tom.Locator(".heat .c.flag").CountAsync() >= 2, "Tom's heat map shows fewer than two flagged weeks");
        Assert.False(string.IsNullOrWhiteSpace(await tom.Locator("ul.flags").InnerTextAsync()));
        Assert.Equal(12, await tom.Locator(".heat .c").CountAsync() / await tom.Locator(".heat .pair").CountAsync());
        var title = await tom.Locator(".heat .c.flag").Last.GetAttributeAsync("title");
        Assert.Contains("× the noise band", title);
        await NoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"overview-{width}");

        // Sorting by name puts Lena first without a reload.
        await page.ClickAsync("th[data-sort='name'] a");
        Assert.Equal(demo.Athletes["Lena Berg"].ToString(), await rows.First.GetAttributeAsync("data-athlete"));

        // Tom's page: trend charts drawn from his weekly trends; hovering reads a value out.
        await ClickThroughAsync(page, page.Locator("text=Tom Kraus"), $"**/dashboard/athletes/{demo.Athletes["Tom Kraus"]}");
        var asymmetry = page.Locator(".chart[data-kind='asymmetry_p50']");
        await asymmetry.Locator("canvas").WaitForAsync();
        Assert.Equal("12", await asymmetry.GetAttributeAsync("data-points"));
        Assert.True(int.Parse((await asymmetry.GetAttributeAsync("data-flags"))!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.Matches(Number, await HoverAsync(asymmetry));
        var kinds = await page.Locator("table.rides tbody td:nth-child(2)").AllInnerTextsAsync();
        Assert.Contains(kinds, k => k.StartsWith("intervals", StringComparison.Ordinal));
        Assert.Contains(kinds, k => k.StartsWith("endurance", StringComparison.Ordinal));
        var durations = await page.Locator("table.rides tbody td:nth-child(3)").AllInnerTextsAsync();
        Assert.True(durations.Distinct().Count() >= 4, "the demo's rides all have the same length: " + string.Join(", ", durations));
        await NoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"athlete-{width}");

        // An interval ride: power, SmO2, tHb and the difference trace on one axis; the effort table; hover; zoom; toggles.
        await ClickThroughAsync(page, page.Locator("table.rides tbody tr", new() { HasText = "intervals" }).First.Locator("a"), "**/dashboard/rides/*");
        var smo2 = page.Locator(".chart[data-kind='smo2']");
        await smo2.Locator("canvas").WaitForAsync();
        Assert.True(int.Parse((await smo2.GetAttributeAsync("data-points"))!, System.Globalization.CultureInfo.InvariantCulture) > 500);
        var difference = page.Locator(".chart[data-kind='difference']");
        await difference.Locator("canvas").WaitForAsync();
        Assert.Contains("vastus lateralis", (await difference.Locator(".u-legend").InnerTextAsync()).ToLowerInvariant());
        Assert.Matches(Number, await HoverAsync(smo2));
        Assert.True(await page.Locator("table.efforts tbody tr[data-effort]").CountAsync() >= 2 * 3, "fewer than three efforts with two muscles");
        Assert.Matches(@"\d", await page.Locator("table.efforts tbody tr[data-effort] td.num").Nth(4).InnerTextAsync());
        var whole = int.Parse((await smo2.GetAttributeAsync("data-xmax"))!, System.Globalization.CultureInfo.InvariantCulture);
        var zoom = page.Locator("table.efforts button.zoom").First;
        var to = int.Parse((await zoom.GetAttributeAsync("data-to"))!, System.Globalization.CultureInfo.InvariantCulture);
        await zoom.ClickAsync();
        await page.WaitForFunctionAsync($"document.querySelector(\".chart[data-kind='smo2']\").dataset.xmax === '{to}'");
        // Every chart of the ride follows the zoom into the effort.
        Assert.Equal(to.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator(".chart[data-kind='power']").GetAttributeAsync("data-xmax"));
        Assert.True(to < whole, $"the effort's zoom ({to} s) is not inside the ride ({whole} s)");
        // The per-muscle table reads the ride's metrics: SmO2 P50 of the first muscle is a number.
        Assert.Matches(Number, await page.Locator("table.channels tr").Nth(1).Locator("td").Nth(5).InnerTextAsync());
        await page.Locator(".toggles input[type=checkbox]").First.UncheckAsync();
        Assert.Contains("off", await smo2.Locator(".u-legend .u-series").Nth(1).GetAttributeAsync("class") ?? "");
        await NoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"ride-{width}");
    }

    private static int Attr(string? value) => int.Parse(value ?? "-1", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until the chart's marker hook has drawn and returns its counts (placements, spot checks, flagged weeks).</summary>
    private static async Task<(int Placements, int SpotChecks, int FlagWeeks)> MarksAsync(IPage page, string subject, string kind)
    {
        var selector = $".charts[data-subject='{subject}'] .chart[data-kind='{kind}']";
        await page.Locator(selector + " canvas").WaitForAsync();
        await page.WaitForFunctionAsync($"document.querySelector(\"{selector}\").dataset.placements !== undefined");
        var chart = page.Locator(selector);
        return (Attr(await chart.GetAttributeAsync("data-placements")), Attr(await chart.GetAttributeAsync("data-spot-checks")),
            Attr(await chart.GetAttributeAsync("data-flag-weeks")));
    }

    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task AthletePageMarksPlacementsSpotChecksAndFlagsOnTheTimeAxis(int width)
    {
        var (playwright, browser) = await BrowserAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await SignInAsync(browser, width, DemoPlan.CoachEmail, DemoPlan.CoachPassword);
        await page.GotoAsync(new Uri(demo.Server.BaseAddress, $"/dashboard/athletes/{demo.Athletes["Lena Berg"]}").ToString());

        // Lena's re-taped left sensor (the demo's sensor-map entry) is one marker on the left muscle's and the pair's charts, none on the right's.
        var left = await MarksAsync(page, "vastus_lateralis/left", "smo2");
        var right = await MarksAsync(page, "vastus_lateralis/right", "smo2");
        var pair = await MarksAsync(page, "vastus_lateralis/left|vastus_lateralis/right", "asymmetry_p50");
        Assert.Equal((1, 0, 1), (left.Placements, right.Placements, pair.Placements));
        // A resting spot check every Monday: the ones inside the charts' weeks are marked on every chart of those muscles.
        var weeks = DemoPlan.SpotChecks(DemoPlan.Athletes[0], DateTimeOffset.UtcNow).Count();
        Assert.InRange(left.SpotChecks, weeks - 2, weeks);
        Assert.Equal(left.SpotChecks, pair.SpotChecks);
        Assert.Contains("re-taped 3 cm higher", await page.Locator("ul.placements").InnerTextAsync());

        // The spot-check list: every check with its partner ratios, read from GET .../spot-checks.
        var checks = page.Locator("table.spot-checks tbody tr");
        await checks.First.WaitForAsync();
        Assert.Equal(weeks, await checks.CountAsync());
        // The latest six are shown; the button shows the rest.
        Assert.False(await checks.Last.IsVisibleAsync());
        await page.ClickAsync("section.spot-checks button.more");
        Assert.True(await checks.Last.IsVisibleAsync());
        var ratio = checks.First.Locator(".ratio").First;
        Assert.StartsWith("Vastus lateralis L/R: ", await ratio.InnerTextAsync());
        Assert.InRange(double.Parse((await ratio.GetAttributeAsync("data-ratio"))!, System.Globalization.CultureInfo.InvariantCulture), 0.85, 1.2);
        Assert.True(await page.Locator("table.spot-checks .ratio", new() { HasText = "Gastrocnemius medial/lateral L" }).CountAsync() >= weeks / 2 - 1);
        // Their own weekly trend (GET .../spot-checks/trends): one chart per partner pair.
        var restChart = page.Locator("section.spot-checks .chart[data-kind='rest_difference']", new() { HasText = "Vastus lateralis L/R: resting difference A − B" });
        await restChart.Locator("canvas").WaitForAsync();
        Assert.Equal(weeks, Attr(await restChart.GetAttributeAsync("data-points")));
        // The rides read their real length: a 45-minute ride is 45:00, not 44:59.
        var durations = await page.Locator("table.rides tbody td:nth-child(3)").AllInnerTextsAsync();
        Assert.Contains("45:00", durations);
        Assert.DoesNotContain(durations, d => d.EndsWith(":59", StringComparison.Ordinal));
        await NoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"athlete-marks-{width}");

        // Tom's growing dysbalance: its flagged weeks are shaded on the pair's charts.
        await page.GotoAsync(new Uri(demo.Server.BaseAddress, $"/dashboard/athletes/{demo.Athletes["Tom Kraus"]}").ToString());
        var tom = await MarksAsync(page, "vastus_lateralis/left|vastus_lateralis/right", "asymmetry_p50");
        Assert.True(tom.FlagWeeks >= 2, $"Tom's pair chart shades {tom.FlagWeeks} flagged weeks");
        Assert.Equal(0, tom.Placements);
    }

    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task RidePageNamesMusclesAndPairsAndItsEffortTableFitsThePhone(int width)
    {
        var (playwright, browser) = await BrowserAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await SignInAsync(browser, width, DemoPlan.CoachEmail, DemoPlan.CoachPassword);
        await page.GotoAsync(new Uri(demo.Server.BaseAddress, $"/dashboard/athletes/{demo.Athletes["Tom Kraus"]}").ToString());
        await ClickThroughAsync(page, page.Locator("table.rides tbody tr", new() { HasText = "intervals" }).First.Locator("a"), "**/dashboard/rides/*");
        await page.Locator(".chart[data-kind='difference'] canvas").WaitForAsync();
        // Sensors by muscle and side, pairs like a coach writes them; never the raw channel label or pair key.
        Assert.Equal("Vastus lateralis L", await page.Locator("table.channels tr").Nth(1).Locator("td").First.InnerTextAsync());
        Assert.Equal("Vastus lateralis L/R", await page.Locator("table.pairs tr").Nth(1).Locator("td").First.InnerTextAsync());
        Assert.Contains("Vastus lateralis L/R (", await page.Locator(".chart[data-kind='difference'] .u-legend").InnerTextAsync());
        Assert.Contains("Vastus lateralis L/R: ", await page.Locator("table.efforts td.eff-lag").First.InnerTextAsync());
        var text = await page.InnerTextAsync("main");
        Assert.DoesNotContain("data field 0 sensor", text);
        Assert.DoesNotContain("vastus_lateralis", text);
        Assert.DoesNotContain(":59 · ", text);
        // The effort table does not scroll sideways on either screen: its box is no wider than its container.
        var overflow = await page.EvaluateAsync<int>("(() => { const t = document.querySelector('table.efforts'); return t.scrollWidth - t.parentElement.clientWidth; })()");
        Assert.True(overflow <= 0, $"the effort table is {overflow} px wider than the page at {width} px");
        // The Muscles and Pairs tables do not scroll sideways either (on a phone: a card per muscle and per pair).
        foreach (var table in new[] { "channels", "pairs" })
        {
            var wider = await page.EvaluateAsync<int>($"(() => {{ const t = document.querySelector('table.{table}'); return t.scrollWidth - t.parentElement.clientWidth; }})()");
            Assert.True(wider <= 0, $"the {table} table is {wider} px wider than the page at {width} px");
        }
        Assert.True(await page.Locator("table.efforts tr[data-effort] td.num").Nth(4).IsVisibleAsync());
        await page.Locator("table.efforts").ScrollIntoViewIfNeededAsync();
        await NoSidewaysScrollAsync(page, width);
        await ShotAsync(page, $"ride-efforts-{width}");
    }

    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task RiderSeesExactlyTheirOwnPages(int width)
    {
        var (playwright, browser) = await BrowserAsync();
        using var _ = playwright;
        await using var __ = browser;
        var tom = DemoPlan.Athletes.Single(a => a.Name == "Tom Kraus");
        var page = await SignInAsync(browser, width, tom.Email, DemoPlan.RiderPassword);
        // The rider's home is their own page, with their own charts.
        await PageWaits.AtAsync(page, $"**/dashboard/athletes/{demo.Athletes["Tom Kraus"]}");
        var chart = page.Locator(".chart[data-kind='asymmetry_p50']");
        await chart.Locator("canvas").WaitForAsync();
        Assert.Matches(Number, await HoverAsync(chart));
        Assert.Equal(0, await page.Locator("text=Lena Berg").CountAsync());
        await ShotAsync(page, $"rider-{width}");

        var lena = demo.Athletes["Lena Berg"];
        var other = await page.GotoAsync(new Uri(demo.Server.BaseAddress, $"/dashboard/athletes/{lena}").ToString());
        Assert.Equal(404, other!.Status);
        var api = await page.GotoAsync(new Uri(demo.Server.BaseAddress, $"/api/athletes/{lena}/trends").ToString());
        Assert.Equal(404, api!.Status);
        var list = await page.GotoAsync(new Uri(demo.Server.BaseAddress, "/api/athletes").ToString());
        Assert.DoesNotContain("Lena", await list!.TextAsync());
        Assert.Contains("Tom Kraus", await list.TextAsync());
    }
}
