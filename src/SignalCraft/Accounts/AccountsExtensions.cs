using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

internal static class AccountsExtensions
{
    /// <summary>
    /// Identity (EF Core stores in the one DbContext) with bearer tokens and cookies from the same user store, API
    /// tokens, the workspace check and its policies, and the services other features use.
    /// </summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountsOptions>, AccountsOptionsValidator>();

        services.AddIdentityApiEndpoints<SignalCraftUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // Length over composition rules (NIST SP 800-63B): a long passphrase beats "Passw0rd!".
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 10;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddEntityFrameworkStores<SignalCraftDbContext>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = AccountsSchemes.Default;
                o.DefaultAuthenticateScheme = AccountsSchemes.Default;
                o.DefaultChallengeScheme = AccountsSchemes.Default;
                o.DefaultForbidScheme = AccountsSchemes.Default;
            })
            .AddPolicyScheme(AccountsSchemes.Default, "SignalCraft", o =>
            {
                o.ForwardDefaultSelector = AccountsSchemes.Select;
                // API answers are 401/403, never a redirect to a login page (the cookie handler's default).
                o.ForwardChallenge = IdentityConstants.BearerScheme;
                o.ForwardForbid = IdentityConstants.BearerScheme;
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(
                AccountsSchemes.ApiToken, null);
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "signalcraft.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
        });

        AccountsPolicies.Add(services.AddAuthorizationBuilder());
        services.AddSingleton<IAuthorizationHandler, WorkspaceRoleHandler>();
        services.AddSingleton<IAuthorizationHandler, PersonHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccountsAuthorizationResultHandler>();

        services.TryAddScoped<CurrentWorkspace>();
        services.TryAddScoped<WorkspaceResolver>();
        services.AddMemoryCache();
        services.TryAddScoped<WorkspaceSettingsStore>();
        services.TryAddScoped<PasswordResetLinks>();
        services.TryAddScoped<AccountRegistration>();
        services.TryAddScoped<MemberAdmin>();
        services.TryAddScoped<ApiTokenAdmin>();
        services.Configure<OpenApiOptions>("v1", o => o.AddOperationTransformer<WorkspaceHeaderOperationTransformer>());
        return builder;
    }

    /// <summary>Every Accounts endpoint: auth, workspaces, members, invites, API tokens and workspace settings.</summary>
    public static IEndpointRouteBuilder MapAccountsEndpoints(this IEndpointRouteBuilder app)
    {
        AuthEndpoints.Map(app);
        WorkspacesEndpoints.Map(app);
        MembersEndpoints.Map(app);
        InvitesEndpoints.Map(app);
        ApiTokensEndpoints.Map(app);
        WorkspaceSettingsEndpoints.Map(app);
        return app;
    }
}
