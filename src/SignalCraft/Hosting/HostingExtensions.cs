using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SignalCraft.Hosting;

internal static class HostingExtensions
{
    private const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Listening address default, public URL options and the clock.</summary>
    public static IHostApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        // Only when nothing chose an address (--urls, ASPNETCORE_URLS, ports or Kestrel endpoints): the documented
        // default is loopback on 5080, never every interface.
        var config = builder.Configuration;
        if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["http_ports"])
            && string.IsNullOrEmpty(config["https_ports"]) && !config.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddOptions<AppOptions>().BindConfiguration(AppOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AppOptions>, AppOptionsValidator>();
        builder.Services.TryAddSingleton<PublicUrls>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails += ValidationProblemNaming.CamelCaseErrorKeys);
        // Binding failures become problem details naming the field (BadRequestExceptionHandler), and request bodies
        // are validated from their data annotations before a handler runs.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddValidation();
        builder.AddRequestLogging();
        return builder;
    }
}
