using System.Net;

namespace SlackEmulator.Pages;

/// <summary>The plain HTML frame shared by the emulator's pages (no JS framework, one inline style).</summary>
internal static class PageLayout
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static IResult Page(string title, string body, int status = 200, string? script = null) =>
        Results.Content(Render(title, body, script), "text/html; charset=utf-8", statusCode: status);

    public static string Render(string title, string body, string? script = null) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 0; background: #f8f8f8; color: #1d1c1d; }
          header { background: #3f0e40; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: center; }
          header a { color: #fff; }
          main { max-width: 960px; margin: 0 auto; padding: 16px; }
          .msg { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
          .msg.ephemeral { border-style: dashed; background: #fdfcf4; }
          .meta { color: #616061; font-size: 12px; }
          .author { font-weight: 700; }
          .edited { color: #616061; font-size: 12px; }
          .block { margin: 6px 0; }
          .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 18px; margin-top: 6px; }
          .context { color: #616061; font-size: 13px; }
          .actions { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
          .actions form, .accessory form { display: inline; margin: 0; }
          button { border: 1px solid #bbb; background: #fff; border-radius: 4px; padding: 4px 12px; cursor: pointer; }
          button.primary { background: #007a5a; color: #fff; border-color: #007a5a; }
          button.danger { background: #e01e5a; color: #fff; border-color: #e01e5a; }
          .thread { margin-left: 28px; border-left: 3px solid #ddd; padding-left: 10px; }
          .banner { padding: 8px 12px; border-radius: 4px; margin: 8px 0; background: #e8f5fa; }
          .banner.fail { background: #fde8ec; }
          code, pre { background: #f4f4f4; border: 1px solid #e0e0e0; border-radius: 3px; padding: 0 3px; }
          table { border-collapse: collapse; } td, th { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; }
        </style></head>
        <body><header><strong>Slack emulator</strong><a href="/_emulator">workspaces</a></header>
        <main>{{body}}</main>{{(script is null ? "" : "<script>" + script + "</script>")}}</body></html>
        """;
}
