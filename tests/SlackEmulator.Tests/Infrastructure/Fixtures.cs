using System.Text.Json.Nodes;

namespace SlackEmulator.Tests.Infrastructure;

/// <summary>The shared Slack fixtures (copied into Fixtures/slack and to the test output).</summary>
public static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "slack", name);

    public static string Text(string name) => File.ReadAllText(Path(name));

    public static JsonObject Json(string name) => JsonNode.Parse(Text(name))!.AsObject();

    /// <summary>The keys of a fixture object that a response must also have.</summary>
    public static void AssertHasKeysOf(JsonObject fixture, JsonObject actual, params string[] except)
    {
        var missing = fixture.Select(p => p.Key).Except(except).Where(k => !actual.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"missing keys: {string.Join(", ", missing)} in {actual.ToJsonString()}");
    }
}
