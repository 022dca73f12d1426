using System.Text.Encodings.Web;

namespace NirsSync.Server.Dashboard;

/// <summary>HTML encoding and the page frame shared by every dashboard page.</summary>
public static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static IResult Page(string title, string body, bool signedIn = true, string? antiforgery = null) =>
        Results.Content($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · NirsSync</title>
            <style>{Css}</style></head>
            <body><header><a class="brand" href="/dashboard">NirsSync</a>
            {(signedIn ? $"<form method=\"post\" action=\"/logout\">{antiforgery}<button class=\"link\">Sign out</button></form>" : "")}
            </header><main>{body}</main></body></html>
            """, "text/html; charset=utf-8");

    /// <summary>The page style, inline in every page; the content security policy allows it by its hash (Hosting/NirsApp).</summary>
    internal const string Css = """
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2430;background:#f5f7fa}
        header{display:flex;justify-content:space-between;align-items:center;padding:.6rem 1rem;background:#17324d;color:#fff}
        header a.brand{color:#fff;font-weight:700;text-decoration:none}button.link{background:none;border:0;color:#cfe3f7;cursor:pointer;font:inherit}
        main{max-width:1100px;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:.8rem}
        .card{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:.8rem}
        .card a{font-weight:600}.flag{fill:#d62728;stroke:#fff;stroke-width:1.5}.flags{margin:.3rem 0 0;padding-left:1.1rem}
        .flags li{color:#a01919}.ok{color:#2a7a2a}.muted{color:#667}
        table{width:100%;border-collapse:collapse;background:#fff}td,th{padding:.35rem .5rem;border-bottom:1px solid #e6eaef;text-align:left}
        .scroll{overflow-x:auto}
        svg.chart{width:100%;height:auto;background:#fff;border:1px solid #dde3ea;border-radius:8px;margin:.3rem 0}
        .ct{font-size:13px;font-weight:600;fill:#1d2430}.yu{font-size:11px;fill:#667;text-anchor:end}.lg{font-size:11px;fill:#333}
        .yl{font-size:10px;fill:#667;text-anchor:end}.xl{font-size:10px;fill:#667;text-anchor:middle}
        .grid{stroke:#edf0f3;stroke-width:1}.ref{stroke:#889;stroke-width:1;stroke-dasharray:3 3}
        .line{fill:none;stroke-width:1.8;stroke-linejoin:round}.dashed{stroke-dasharray:5 3}.band{opacity:.22}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:.6rem}
        form.login{max-width:340px;margin:3rem auto;background:#fff;padding:1.2rem;border-radius:8px;border:1px solid #dde3ea}
        form.login input{width:100%;padding:.5rem;margin:.2rem 0 .8rem;font:inherit}form.login button{padding:.5rem 1rem;font:inherit}
        .error{color:#a01919}
        """;
}
