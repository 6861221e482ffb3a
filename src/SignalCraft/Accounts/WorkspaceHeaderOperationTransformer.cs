using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SignalCraft.Accounts;

/// <summary>Documents the optional <c>X-Workspace-Id</c> header on every workspace-scoped operation.</summary>
internal sealed class WorkspaceHeaderOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<WorkspaceScopedMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = WorkspaceResolver.HeaderName,
                In = ParameterLocation.Header,
                Required = false,
                Description = "The workspace to act in (an id from GET /api/workspaces). Needed only when you belong to several.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            });
        }
        return Task.CompletedTask;
    }
}
