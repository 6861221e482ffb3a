using SignalCraft.Alerts;
using SignalCraft.Routing;

namespace SignalCraft.Tests.Routing;

public sealed class RuleEvaluatorTests
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase) { ["prod"] = "production" };

    private static readonly AlertFacts ProdHighWeb = new("sentry", "web", "production", Severity.High, [new AlertTag("team", "payments-core")]);

    private static RuleDto Rule(string name, RuleConditions? conditions = null, bool enabled = true, bool cont = false) =>
        new() { Name = name, Enabled = enabled, Continue = cont, Conditions = conditions ?? new() };

    [Fact]
    public void Match_AbsentConditions_MatchEverything() =>
        Assert.Single(RuleEvaluator.Match([Rule("all")], ProdHighWeb, Aliases));

    [Theory]
    [InlineData("production", true)]
    [InlineData("prod", true)]
    [InlineData("staging", false)]
    public void Match_Environment_UsesAliases(string env, bool expected) =>
        Assert.Equal(expected, RuleEvaluator.Match([Rule("r", new() { Environments = [env] })], ProdHighWeb, Aliases).Count == 1);

    [Theory]
    [InlineData("critical", false)]
    [InlineData("high", true)]
    [InlineData("med", true)]
    public void Match_MinSeverity_MeansAtLeast(string min, bool expected) =>
        Assert.Equal(expected, RuleEvaluator.Match([Rule("r", new() { MinSeverity = min })], ProdHighWeb, Aliases).Count == 1);

    [Fact]
    public void Match_ProjectsAndSources_MustContainTheAlerts()
    {
        Assert.Single(RuleEvaluator.Match([Rule("r", new() { Projects = ["api", "web"], Sources = ["sentry"] })], ProdHighWeb, Aliases));
        Assert.Empty(RuleEvaluator.Match([Rule("r", new() { Projects = ["api"] })], ProdHighWeb, Aliases));
        Assert.Empty(RuleEvaluator.Match([Rule("r", new() { Sources = ["alertmanager"] })], ProdHighWeb, Aliases));
    }

    [Fact]
    public void Match_TagEqualsAndContains()
    {
        Assert.Empty(RuleEvaluator.Match([Rule("r", new() { Tags = [new("team", "equals", "payments")] })], ProdHighWeb, Aliases));
        Assert.Single(RuleEvaluator.Match([Rule("r", new() { Tags = [new("team", "contains", "payments")] })], ProdHighWeb, Aliases));
        Assert.Single(RuleEvaluator.Match([Rule("r", new() { Tags = [new("team", null, "payments-core")] })], ProdHighWeb, Aliases));
    }

    [Fact]
    public void Match_AllConditionsMustHold()
    {
        var rule = Rule("r", new() { Environments = ["production"], MinSeverity = "critical", Projects = ["web"] });
        Assert.Empty(RuleEvaluator.Match([rule], ProdHighWeb, Aliases));
    }

    [Fact]
    public void Match_FirstMatchWinsUnlessContinue()
    {
        var a = Rule("a", cont: false);
        var b = Rule("b");
        Assert.Equal(["a"], RuleEvaluator.Match([a, b], ProdHighWeb, Aliases).Select(r => r.Name));

        var c = Rule("c", cont: true);
        Assert.Equal(["c", "b"], RuleEvaluator.Match([c, b, a], ProdHighWeb, Aliases).Select(r => r.Name));
    }

    [Fact]
    public void Match_DisabledRule_IsSkipped() =>
        Assert.Equal(["b"], RuleEvaluator.Match([Rule("a", enabled: false), Rule("b")], ProdHighWeb, Aliases).Select(r => r.Name));

    [Fact]
    public void Validate_BadValues_NameTheField()
    {
        var rule = new RuleDto
        {
            Name = "",
            Conditions = new() { MinSeverity = "urgent" },
            Actions = new()
            {
                Mention = "@everyone",
                Escalation = [new(0, null, null, 5), new(10, null, null, null)],
                RunbookUrl = "wiki/runbook",
            },
        };
        var errors = RuleEvaluator.Validate(rule);
        Assert.Contains("name", errors.Keys);
        Assert.Contains("conditions.minSeverity", errors.Keys);
        Assert.Contains("actions.mention", errors.Keys);
        Assert.Contains("actions.escalation[0]", errors.Keys);
        Assert.Contains("actions.escalation[0].repeatEveryMinutes", errors.Keys);
        Assert.Contains("actions.runbookUrl", errors.Keys);
        Assert.Empty(RuleEvaluator.Validate(new RuleDto { Name = "ok" }));
    }
}
