using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Jobs;

public sealed class JobsOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = new JobsOptionsValidator().Validate(null, new JobsOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_RescueAfterShorterThanJobTimeout_FailsNamingBothSettings()
    {
        var options = new JobsOptions { JobTimeout = TimeSpan.FromSeconds(30), RescueAfter = TimeSpan.FromSeconds(10) };

        var result = new JobsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Jobs:RescueAfter", result.FailureMessage);
        Assert.Contains("Jobs:JobTimeout", result.FailureMessage);
    }

    [Fact]
    public void Validate_RescueAfterEqualToJobTimeout_Succeeds()
    {
        var options = new JobsOptions { JobTimeout = TimeSpan.FromSeconds(2), RescueAfter = TimeSpan.FromSeconds(2) };

        Assert.True(new JobsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(-1, "00:00:01")]
    [InlineData(4, "00:00:00")]
    public void Validate_OutOfRange_FailsNamingTheSetting(int workers, string pollInterval)
    {
        var options = new JobsOptions { Workers = workers, PollInterval = TimeSpan.Parse(pollInterval) };

        var result = new JobsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(workers < 0 ? "Workers" : "PollInterval", result.FailureMessage);
    }

    [Fact]
    public async Task Start_RescueAfterBelowJobTimeout_RefusesToStartWithTheMessage()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["Jobs:JobTimeout"] = "00:00:05",
            ["Jobs:RescueAfter"] = "00:00:03",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.Start());

        Assert.Contains("Jobs:RescueAfter", error.ToString());
    }
}
