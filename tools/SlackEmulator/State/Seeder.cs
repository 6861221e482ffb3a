using Microsoft.Extensions.Options;
using SlackEmulator.Clock;

namespace SlackEmulator.State;

/// <summary>Applies the configured demo workspace (<see cref="SeedOptions"/>) to an empty state.</summary>
internal sealed class Seeder(EmulatorState state, EmulatorClock clock, IOptions<EmulatorOptions> options)
{
    public bool Enabled => options.Value.Seed.Enabled;

    /// <summary>Creates the demo workspace (the caller decides whether seeding is wanted).</summary>
    public void Apply()
    {
        var seed = options.Value.Seed;
        lock (state.Gate)
        {
            var app = state.Apps.GetValueOrDefault(seed.AppId) ?? new SlackApp
            {
                Id = seed.AppId,
                ClientId = seed.ClientId,
                ClientSecret = seed.ClientSecret,
                SigningSecret = seed.SigningSecret,
            };
            app.Name = seed.AppName;
            app.ClientId = seed.ClientId;
            app.ClientSecret = seed.ClientSecret;
            app.SigningSecret = seed.SigningSecret;
            app.RequestUrl = string.IsNullOrWhiteSpace(seed.RequestUrl) ? null : seed.RequestUrl;
            app.RedirectUrls = [.. seed.RedirectUrls];
            app.RotationEnabled = seed.RotationEnabled;
            state.Apps[app.Id] = app;

            var team = state.CreateTeam(seed.TeamId, seed.TeamName, seed.Domain);
            var created = SlackTs.UnixSeconds(clock.GetUtcNow());
            foreach (var spec in seed.Users)
            {
                var parts = spec.Split(':');
                state.CreateUser(team, parts[0], parts.ElementAtOrDefault(1) ?? parts[0], null, parts.ElementAtOrDefault(2));
            }

            var grant = state.Install(team, app, EmulatorState.ParseScopes(seed.BotScopes), seed.BotToken, null);
            foreach (var spec in seed.Channels)
            {
                var parts = spec.Split(':');
                var channel = parts.Length > 1
                    ? state.CreateChannel(team, parts[0], parts[1], false, false, created)
                    : state.CreateChannel(team, null, parts[0], false, false, created);
                if (seed.BotJoinsChannels)
                {
                    channel.Members.Add(grant.UserId);
                }

                channel.Members.UnionWith(team.Users.Values.Where(u => !u.IsBot).Select(u => u.Id));
            }
        }
    }
}
