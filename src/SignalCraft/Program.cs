using SignalCraft.Accounts;
using SignalCraft.Actions;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Sources;
using SignalCraft.Health;
using SignalCraft.Hosting;
using SignalCraft.Inbox;
using SignalCraft.Integrations;
using SignalCraft.Integrations.Slack;
using SignalCraft.Notify;
using SignalCraft.Routing;
using SignalCraft.Jobs;
using SignalCraft.Secrets;
using SignalCraft.Timers;
using SignalCraft.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddHosting();
builder.AddData();
builder.AddSecrets();
builder.AddAccounts();
builder.AddSources();
builder.AddGrouping();
builder.AddInbox();
builder.AddRouting();
builder.AddJobs();
builder.AddNotify();
builder.AddSlack();
builder.AddTimers();
builder.AddActions();
builder.AddHealth();
builder.AddWeb();
builder.Services.AddOpenApi();

var app = builder.Build();

if (await AppCommands.TryRunAsync(app, args))
{
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAntiforgery();

app.MapAccountsEndpoints();
app.MapSourcesEndpoints();
app.MapIntegrationsEndpoints();
app.MapSlackConnectEndpoints();
app.MapInboxEndpoints();
app.MapRoutingEndpoints();
app.MapTargetsEndpoints();
app.MapActionsEndpoints();
app.MapHealthEndpoints();
app.MapWeb();
app.MapOpenApi();

app.Run();

/// <summary>The web host entry point; public so test hosts can reference it.</summary>
public partial class Program;
