using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>The dashboard in Debian's headless chromium: sign in, open an athlete, see charts drawn from real rides.</summary>
[Collection("browser")]
public sealed class DashboardBrowserTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "nirssync-ui-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task CoachSignsInOpensAthleteAndSeesChartsFromRealRides()
    {
        var (athleteId, token) = await ServerProcess.SeedAthleteAsync(_data, "coach@example.com", "Ann Rider");
        using var server = new ServerProcess(_data);
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var start = new DateTimeOffset(2026, 9, 7, 7, 0, 0, TimeSpan.Zero);
        UploadStatusDto? last = null;
        for (var week = 0; week < 3; week++)
        for (var ride = 0; ride < 2; ride++)
        {
            var response = await http.UploadAsync(Rides.Synthetic(seed: 100 + week * 10 + ride, minutes: 30,
                start: start.AddDays(week * 7 + ride * 2)));
            last = await response.Content.ReadFromJsonAsync<UploadStatusDto>(Json.Options);
            Assert.Equal(UploadStatus.Processed, (await http.WaitProcessedAsync(last!.Id)).Status);
        }
        await TrendWait.CurrentAsync(http, athleteId);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        // Generous: CI machines run these beside several test classes at once (30 s was seen to run out).
        page.SetDefaultTimeout(90_000);
        page.SetDefaultNavigationTimeout(90_000);
        await page.GotoAsync(new Uri(server.BaseAddress, "/dashboard").ToString());
        Assert.EndsWith("/login?ReturnUrl=%2Fdashboard", page.Url);

        await page.FillAsync("input[name=email]", "coach@example.com");
        await page.FillAsync("input[name=password]", "wrong-password-9");
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("wrong email or password", await page.InnerTextAsync("[role=alert]"));

        await page.FillAsync("input[name=email]", "coach@example.com");
        await page.FillAsync("input[name=password]", "coach-password-1");
        await page.ClickAsync("button[type=submit]");
        await PageWaits.AtAsync(page, "**/dashboard");
        Assert.Contains("6 rides", await page.InnerTextAsync($"[data-athlete='{athleteId}']"));

        await DashboardDemoBrowserTests.ClickThroughAsync(page, page.Locator("text=Ann Rider"), $"**/dashboard/athletes/{athleteId}");
        Assert.Equal(6, await page.Locator("table.rides tbody tr").CountAsync());
        // Per muscle: SmO2 band and P50, functional range, tHb; per pair: asymmetry with its noise band; drawn by uPlot.
        foreach (var muscle in new[] { "vastus_lateralis/left", "vastus_lateralis/right" })
        {
            var charts = page.Locator($".charts[data-subject='{muscle}'] .chart[data-drawn='true']");
            await charts.First.Locator("canvas").WaitForAsync();
            Assert.Equal(3, await charts.CountAsync());
            Assert.Equal("3", await charts.Nth(0).GetAttributeAsync("data-points"));
        }
        var pair = page.Locator(".charts[data-subject='vastus_lateralis/left|vastus_lateralis/right'] .chart[data-kind='asymmetry_p50']");
        await pair.Locator("canvas").WaitForAsync();
        Assert.Equal("3", await pair.GetAttributeAsync("data-points"));

        await DashboardDemoBrowserTests.ClickThroughAsync(page, page.Locator("table.rides a").First, "**/dashboard/rides/*");
        var power = page.Locator(".ride-charts .chart[data-kind='power']");
        await power.Locator("canvas").WaitForAsync();
        var points = int.Parse(await power.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(points > 100, $"power line has only {points} points");
        var smo2 = page.Locator(".chart[data-kind='smo2'] .u-legend .u-series");
        Assert.True(await smo2.CountAsync() >= 3, "fewer than two SmO2 lines (the synthetic rides carry two sensors)");
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the ride page scrolls sideways on a phone ({width} px)");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { }
    }
}
