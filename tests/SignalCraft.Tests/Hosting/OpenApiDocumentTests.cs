using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Hosting;

public sealed partial class OpenApiDocumentTests
{
    [Fact]
    public async Task OpenApiDocument_EveryMappedApiEndpoint_IsListed()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var listed = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name.TrimEnd('/')}"))
            .ToHashSet();

        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} /{Constraint().Replace(e.RoutePattern.RawText!.Trim('/'), "{$1}")}"))
            .ToList();

        Assert.NotEmpty(mapped);
        var missing = mapped.Where(m => !listed.Contains(m)).ToList();
        Assert.True(missing.Count == 0, "Not in /openapi/v1.json:\n" + string.Join("\n", missing));
    }

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex Constraint();
}
