using System.Text.Json;

namespace SignalCraft.Hosting;

/// <summary>
/// Validation problems name fields the way the JSON does (<c>email</c>, <c>items[0].name</c>): the validation
/// filter reports CLR member paths (<c>Email</c>), which a script author would not find in the request they sent.
/// </summary>
internal static class ValidationProblemNaming
{
    public static void CamelCaseErrorKeys(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is not HttpValidationProblemDetails validation
            || validation.Errors.Keys.All(k => k.Length == 0 || !char.IsUpper(k[0])))
        {
            return;
        }
        var renamed = validation.Errors.ToDictionary(e => CamelCasePath(e.Key), e => e.Value);
        validation.Errors.Clear();
        foreach (var (key, value) in renamed)
        {
            validation.Errors[key] = value;
        }
    }

    private static string CamelCasePath(string path) =>
        string.Join('.', path.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}
