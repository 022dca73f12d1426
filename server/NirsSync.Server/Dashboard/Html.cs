using System.Text.Encodings.Web;

namespace NirsSync.Server.Dashboard;

/// <summary>HTML encoding and the page frame shared by every dashboard page.</summary>
public static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>
    /// The page frame. Styles and scripts are files the server serves itself (wwwroot/assets, and uPlot in wwwroot/lib
    /// copied from npm at build time): no inline script or style, no CDN.
    /// </summary>
    public static IResult Page(string title, string body, bool signedIn = true, string? antiforgery = null, string? who = null) =>
        Results.Content($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · NirsSync</title>
            <link rel="stylesheet" href="/lib/uplot/uPlot.min.css">
            <link rel="stylesheet" href="/assets/dashboard.css">
            <script src="/lib/uplot/uPlot.iife.min.js" defer></script>
            <script src="/assets/dashboard.js" defer></script></head>
            <body><header><a class="brand" href="/dashboard">NirsSync</a>
            {(signedIn ? $"<form method=\"post\" action=\"/logout\">{(who is null ? "" : $"<span class=\"who\">{E(who)}</span>")}{antiforgery}<button class=\"link\">Sign out</button></form>" : "")}
            </header><main>{body}</main></body></html>
            """, "text/html; charset=utf-8");
}
