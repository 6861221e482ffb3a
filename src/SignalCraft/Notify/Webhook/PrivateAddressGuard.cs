using System.Net;
using System.Net.Sockets;

namespace SignalCraft.Notify.Webhook;

/// <summary>
/// Refuses loopback, private, link-local and other non-public addresses for outgoing webhooks. Checked when a rule is
/// saved and again when connecting (the name could resolve differently by then).
/// </summary>
public static class PrivateAddressGuard
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal
            || address.IsIPv6Multicast)
        {
            return true;
        }
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }
        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] >= 64 && b[1] <= 127,            // carrier-grade NAT
            169 => b[1] == 254,                          // link-local, cloud metadata
            172 => b[1] >= 16 && b[1] <= 31,
            192 => b[1] == 168 || (b[1] == 0 && b[2] == 0),
            198 => b[1] is 18 or 19,
            >= 224 => true,                              // multicast and reserved
            _ => false,
        };
    }

    /// <summary>Checks a URL before it is saved: absolute http(s), and not a private address unless allowed.</summary>
    public static async Task<string?> ValidateAsync(string url, bool allowPrivate, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "Use an absolute http(s) URL.";
        }
        if (allowPrivate)
        {
            return null;
        }
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.Host, ct);
        }
        catch (SocketException)
        {
            return $"The host {uri.Host} does not resolve.";
        }
        return addresses.Any(IsPrivate)
            ? "Webhook targets on loopback, private or link-local addresses are refused (set Notify__AllowPrivateTargets for development)."
            : null;
    }

    /// <summary>Shows a URL without what makes it a credential: scheme, host and a hint of the path.</summary>
    public static string Mask(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/…" : "…";
}
