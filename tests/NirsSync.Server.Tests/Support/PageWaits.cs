using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace NirsSync.Server.Tests.Support;

/// <summary>
/// Waits for a page to arrive somewhere without Playwright .NET's <c>WaitForURLAsync</c>. That call checks the frame's
/// URL and load states on the test's thread and subscribes to their events afterwards, while the transport's thread
/// delivers those events: an event delivered in between is lost and the wait runs out its whole timeout
/// (microsoft/playwright-dotnet#3364; one CI run of the invite test failed so, its log showing only the
/// "NetworkIdle" event after a "Load" it never saw). Both waits here are answered by the browser side, which polls,
/// so there is no client-side event to miss.
/// </summary>
public static class PageWaits
{
    /// <summary>
    /// Waits until the page's URL matches <paramref name="glob"/> (<c>**</c> any characters, <c>*</c> any but
    /// <c>/</c>) and, unless <paramref name="load"/> is false, that document has finished loading; both within
    /// <paramref name="timeoutMs"/> in all. Running out of time is a <see cref="TimeoutException"/> whatever the wait
    /// (Playwright's assertion reports it as a <see cref="PlaywrightException"/>).
    /// </summary>
    public static async Task AtAsync(IPage page, string glob, float timeoutMs = 90_000, bool load = true)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(GlobToRegex(glob), new PageAssertionsToHaveURLOptions { Timeout = timeoutMs });
        }
        catch (PlaywrightException e)
        {
            throw new TimeoutException($"the page did not reach {glob} within {timeoutMs} ms (it is at {page.Url})", e);
        }
        if (load)
            await page.WaitForFunctionAsync("document.readyState === 'complete'", null, new PageWaitForFunctionOptions
            {
                Timeout = Math.Max(1, timeoutMs - (float)clock.Elapsed.TotalMilliseconds),
                PollingInterval = 50,
            });
    }

    /// <summary>
    /// The glob as an anchored regular expression: <c>**</c> is any run of characters, <c>*</c> any run without a
    /// slash, every other character itself. That is the part of Playwright's glob syntax these tests use (it also
    /// has <c>{a,b}</c>, <c>?</c> and a <c>/**/</c> that matches one slash); anything else is taken literally.
    /// </summary>
    public static Regex GlobToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*')
            {
                var twice = i + 1 < glob.Length && glob[i + 1] == '*';
                pattern.Append(twice ? ".*" : "[^/]*");
                if (twice) i++;
            }
            else pattern.Append(Regex.Escape(glob[i].ToString()));
        }
        return new Regex(pattern.Append('$').ToString());
    }
}
