using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace SignalCraft.Hosting;

/// <summary>Builds absolute links to this instance (webhook URLs, OAuth redirect, links in Slack messages).</summary>
public sealed class PublicUrls(IOptions<AppOptions> options, IServer server)
{
    /// <summary>The configured public base URL, else the first address the server listens on, without a trailing slash.</summary>
    public string BaseUrl
    {
        get
        {
            if (options.Value.PublicBaseUrl is { Length: > 0 } configured)
            {
                return configured.TrimEnd('/');
            }
            var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            return (first ?? "http://127.0.0.1:5080").TrimEnd('/');
        }
    }

    /// <summary>An absolute URL for an app-relative path such as <c>/alerts/12</c>.</summary>
    public string For(string path) => BaseUrl + "/" + path.TrimStart('/');
}
