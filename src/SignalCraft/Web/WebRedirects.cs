using Microsoft.AspNetCore.Components;

namespace SignalCraft.Web;

/// <summary>
/// Redirects after a form post (post/redirect/get, so a reload never posts twice), optionally carrying a one-line
/// status in a cookie that lives for seconds. Only local addresses are followed: a return URL from a query string
/// cannot send anyone to another site.
/// </summary>
internal sealed class WebRedirects(NavigationManager navigation, IHttpContextAccessor http)
{
    public const string StatusCookieName = "signalcraft.status";

    private static readonly CookieBuilder StatusCookie = new()
    {
        SameSite = SameSiteMode.Strict, HttpOnly = true, IsEssential = true, MaxAge = TimeSpan.FromSeconds(10),
    };

    public static string Local(string? uri) =>
        string.IsNullOrEmpty(uri) || !uri.StartsWith('/') || uri.StartsWith("//", StringComparison.Ordinal)
            || uri.StartsWith("/\\", StringComparison.Ordinal)
            ? "/inbox"
            : uri;

    public void To(string? uri) => navigation.NavigateTo(Local(uri));

    public void ToWithStatus(string? uri, string message)
    {
        if (http.HttpContext is { } context)
        {
            SetStatus(context, message);
        }
        To(uri);
    }

    /// <summary>Leaves the one-line status for the next page (for endpoints that redirect without a NavigationManager).</summary>
    public static void SetStatus(HttpContext context, string message) =>
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookie.Build(context));

    /// <summary>Back to the page that posted, with its query string (filters survive an action).</summary>
    public void ToCurrentWithStatus(string message) => ToWithStatus("/" + navigation.ToBaseRelativePath(navigation.Uri), message);
}
