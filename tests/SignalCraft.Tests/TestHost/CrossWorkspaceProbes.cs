using System.Reflection;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Accounts;

namespace SignalCraft.Tests.TestHost;

/// <summary>Two workspaces of one running app: <see cref="A"/> probes, <see cref="B"/> owns the resources (both owners).</summary>
public sealed record ProbeContext(SignalCraftApp App, TestUser A, TestUser B);

/// <summary>
/// The request workspace A sends: a concrete path (and JSON body) naming workspace B's resource. <see cref="State"/>
/// carries what the arrangement created (ids) to <see cref="CrossWorkspaceProbe.SnapshotAsync"/>.
/// </summary>
public sealed record ProbeRequest(string Path, object? Body = null)
{
    public object? State { get; init; }
}

/// <summary>
/// How to attack one id-taking route from another workspace. <see cref="ArrangeAsync"/> creates the resource in
/// workspace B and returns the request that names it; A's owner sends it and must get a 404 (or what
/// <see cref="AssertResponseAsync"/> accepts, e.g. a per-id not-found in a bulk answer), and
/// <see cref="SnapshotAsync"/> of B must read the same before and after. Then B's owner sends the same request and must
/// succeed, which proves the probe named a real resource.
/// </summary>
public sealed record CrossWorkspaceProbe(string Method, string Route)
{
    public Func<ProbeContext, Task<ProbeRequest>>? ArrangeAsync { get; init; }

    /// <summary>Workspace B's state the request must not change (e.g. B's listing as JSON, or a row read from the database).</summary>
    public Func<ProbeContext, ProbeRequest, Task<string>>? SnapshotAsync { get; init; }

    /// <summary>Checks A's answer; null expects a 404 problem.</summary>
    public Func<HttpResponseMessage, Task>? AssertResponseAsync { get; init; }

    /// <summary>Whether B's own request must then succeed (2xx). Turn off only when B's request cannot succeed by design.</summary>
    public bool OwnerRequestSucceeds { get; init; } = true;

    /// <summary>Set (through <see cref="Exempt"/>) for a route whose parameter cannot name another workspace's data.</summary>
    public string? ExemptBecause { get; init; }

    public string Key => CrossWorkspaceProbes.Key(Method, Route);

    /// <summary>A route that takes an id-like parameter but is safe by construction; <paramref name="because"/> says why.</summary>
    public static CrossWorkspaceProbe Exempt(string method, string route, string because) => new(method, route) { ExemptBecause = because };
}

/// <summary>
/// Contributes a feature's cross-workspace probes. Implement it in the feature's test folder (a class with a public
/// parameterless constructor); the isolation test finds every implementation in this assembly by reflection.
/// </summary>
public interface ICrossWorkspaceProbeSource
{
    IEnumerable<CrossWorkspaceProbe> Probes { get; }
}

/// <summary>The probe registry and the enumeration of id-taking <c>/api</c> routes it must cover.</summary>
public static partial class CrossWorkspaceProbes
{
    public static IReadOnlyList<CrossWorkspaceProbe> All { get; } = typeof(CrossWorkspaceProbes).Assembly.GetTypes()
        .Where(t => typeof(ICrossWorkspaceProbeSource).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .SelectMany(t => ((ICrossWorkspaceProbeSource)Activator.CreateInstance(t)!).Probes)
        .ToList();

    /// <summary>"PUT /api/members/{userId}": the method and the route with constraints removed.</summary>
    public static string Key(string method, string route) =>
        $"{method.ToUpperInvariant()} /{ConstraintPattern().Replace(route, "{$1}").Trim('/')}";

    /// <summary>
    /// Every <c>/api</c> endpoint from the app's <see cref="EndpointDataSource"/> that takes an id: a route parameter,
    /// an id-like query parameter or body field (<c>id</c>, <c>…Id</c>, <c>…Ids</c>), or
    /// <see cref="TakesWorkspaceIdsMetadata"/>. Returns key → why it counts.
    /// </summary>
    public static IReadOnlyDictionary<string, string> IdTakingRoutes(IServiceProvider services)
    {
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (!pattern.StartsWith("/api/", StringComparison.Ordinal))
            {
                continue;
            }
            var reasons = new List<string>();
            reasons.AddRange(endpoint.RoutePattern.Parameters.Select(p => $"route {{{p.Name}}}"));
            reasons.AddRange(endpoint.Metadata.GetOrderedMetadata<TakesWorkspaceIdsMetadata>().Select(m => m.Where));
            if (endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler)
            {
                var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                reasons.AddRange(handler.GetParameters()
                    .Where(p => !routeNames.Contains(p.Name!) && !IsInfrastructure(p, isService))
                    .SelectMany(IdLikeInputs));
            }
            if (reasons.Count == 0)
            {
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
            {
                result[Key(method, pattern)] = string.Join(", ", reasons);
            }
        }
        return result;
    }

    private static IEnumerable<string> IdLikeInputs(ParameterInfo parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (IsSimple(type))
        {
            return IsIdName(parameter.Name!) ? [$"query {parameter.Name}"] : [];
        }
        var source = parameter.GetCustomAttribute<AsParametersAttribute>() is null ? "body" : "parameters";
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => IsIdName(p.Name))
            .Select(p => $"{source} {p.Name}");
    }

    private static bool IsInfrastructure(ParameterInfo parameter, IServiceProviderIsService isService)
    {
        var type = parameter.ParameterType;
        return type == typeof(CancellationToken) || type == typeof(HttpContext) || type == typeof(ClaimsPrincipal)
            || type == typeof(HttpRequest) || type == typeof(HttpResponse)
            || parameter.GetCustomAttribute<FromServicesAttribute>() is not null
            || parameter.GetCustomAttribute<FromHeaderAttribute>() is not null
            || isService.IsService(type);
    }

    private static bool IsSimple(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        return element.IsPrimitive || element.IsEnum || element == typeof(string) || element == typeof(Guid)
            || element == typeof(decimal) || element == typeof(DateTime) || element == typeof(DateTimeOffset);
    }

    private static bool IsIdName(string name) => IdName().IsMatch(name);

    [GeneratedRegex(@"^(?:[Ii]ds?|.*[a-z0-9](?:Id|Ids|ID|IDs))$")]
    private static partial Regex IdName();

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex ConstraintPattern();
}
