using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Web.Account;
using SignalCraft.Web.Inbox;

namespace SignalCraft.Web;

/// <summary>
/// The web app: Razor components rendered on the server (static, no circuit), the sign-in cookie, antiforgery on
/// every form, and the small endpoints pages post to or poll. Pages call the same feature services as the API.
/// </summary>
internal static class WebExtensions
{
    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        // Serves the CSS and script from the build output in every environment, not only Development (tests, and a
        // build run as Production). It does nothing in a published app, whose assets sit in its own wwwroot.
        StaticWebAssetsLoader.UseStaticWebAssets(builder.Environment, builder.Configuration);
        var services = builder.Services;
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.AddAntiforgery(o => o.Cookie.Name = "signalcraft.af");
        WebPolicies.Add(services.AddAuthorizationBuilder());
        services.AddSingleton<IAuthorizationHandler, PageWorkspaceHandler>();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
        });
        services.TryAddScoped<ViewerTime>();
        services.TryAddScoped<WebRedirects>();
        return builder;
    }

    /// <summary>Static assets, every page (members only unless a page says otherwise) and the pages' endpoints.</summary>
    public static IEndpointRouteBuilder MapWeb(this WebApplication app)
    {
        app.MapStaticAssets();
        // Default deny: every page needs a member of a workspace; the sign-in pages opt out with [AllowAnonymous].
        app.MapRazorComponents<App>().RequireAuthorization(WebPolicies.Member);
        AccountEndpoints.Map(app);
        InboxLiveEndpoint.Map(app);
        Health.RetryFormEndpoint.Map(app);
        return app;
    }
}
