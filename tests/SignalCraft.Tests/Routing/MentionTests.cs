using SignalCraft.Alerts;
using SignalCraft.Routing;

namespace SignalCraft.Tests.Routing;

public sealed class MentionTests
{
    private static string? Linked(string userId) => userId == "u-linked" ? "U0LINKED" : null;

    [Theory]
    [InlineData("auto", Severity.Critical, "<!here>")]
    [InlineData("auto", Severity.High, "<!here>")]
    [InlineData("auto", Severity.Med, "")]
    [InlineData("here", Severity.Low, "<!here>")]
    [InlineData("channel", Severity.Low, "<!channel>")]
    [InlineData("none", Severity.Critical, "")]
    [InlineData("<@U123>", Severity.Low, "<@U123>")]
    [InlineData("<!subteam^S1>", Severity.Low, "<!subteam^S1>")]
    [InlineData("user:u-linked", Severity.Low, "<@U0LINKED>")]
    [InlineData("user:u-other", Severity.Low, "<!here>")]
    public void Render_Grammar_ProducesSlackText(string text, Severity severity, string expected)
    {
        Assert.True(Mention.TryParse(text, out var mention));
        Assert.Equal(expected, mention.Render(severity, null, Linked));
    }

    [Fact]
    public void Render_Assignee_UsesLinkedSlackUserElseHere()
    {
        Assert.True(Mention.TryParse("assignee", out var mention));
        Assert.Equal("<@U0LINKED>", mention.Render(Severity.Low, "u-linked", Linked));
        Assert.Equal("<!here>", mention.Render(Severity.Low, "u-other", Linked));
        Assert.Equal("<!here>", mention.Render(Severity.Low, null, Linked));
    }

    [Theory]
    [InlineData("@everyone")]
    [InlineData("user:")]
    [InlineData("<@lower>")]
    [InlineData("everyone")]
    public void TryParse_OutsideTheGrammar_Refuses(string text) => Assert.False(Mention.TryParse(text, out _));
}
