using NirsSync.Server.Tests.Support;

namespace NirsSync.Server.Tests;

/// <summary>The browser tests' URL globs mean what Playwright's globs mean: <c>**</c> crosses slashes, <c>*</c> does not.</summary>
public sealed class PageWaitsTests
{
    [Theory]
    [InlineData("**/dashboard", "http://127.0.0.1:5080/dashboard", true)]
    [InlineData("**/dashboard", "http://127.0.0.1:5080/dashboard/athletes/1", false)]
    [InlineData("**/dashboard**", "http://127.0.0.1:5080/dashboard/athletes/1", true)]
    [InlineData("**/dashboard/rides/*", "http://127.0.0.1:5080/dashboard/rides/5f0c", true)]
    [InlineData("**/dashboard/rides/*", "http://127.0.0.1:5080/dashboard/rides/5f0c/csv", false)]
    [InlineData("**/dashboard/athletes/a.b", "http://127.0.0.1:5080/dashboard/athletes/aXb", false)]
    public void AGlobMatchesTheWholeAddress(string glob, string url, bool matches) =>
        Assert.Equal(matches, PageWaits.GlobToRegex(glob).IsMatch(url));
}
