using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SignalCraft.Accounts;

namespace SignalCraft.Web.Account;

/// <summary>
/// Form posts of the web app that are not pages: sign out and switching workspace. Form-bound endpoints check the
/// antiforgery token (UseAntiforgery), so another site cannot post them.
/// </summary>
internal static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (SignInManager<SignalCraftUser> signIn, HttpContext http, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            http.Response.Cookies.Delete(WebPolicies.WorkspaceCookie);
            return TypedResults.LocalRedirect("/account/login");
        }).ExcludeFromDescription();

        // The workspace is checked again on every request (WorkspaceResolver.ResolveForPageAsync), so the cookie
        // only states a preference: naming a workspace one is not in shows one's first workspace.
        app.MapPost("/workspaces/switch", (HttpContext http, [FromForm] long workspaceId) =>
        {
            http.Response.Cookies.Append(WebPolicies.WorkspaceCookie, workspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
            return TypedResults.LocalRedirect("/inbox");
        }).RequireAuthorization(WebPolicies.SignedIn).ExcludeFromDescription();
    }
}
