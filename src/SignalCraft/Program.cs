using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Sources;
using SignalCraft.Health;
using SignalCraft.Hosting;
using SignalCraft.Jobs;
using SignalCraft.Secrets;

var builder = WebApplication.CreateBuilder(args);

builder.AddHosting();
builder.AddData();
builder.AddSecrets();
builder.AddAccounts();
builder.AddSources();
builder.AddGrouping();
builder.AddJobs();
builder.AddHealth();
builder.Services.AddOpenApi();

var app = builder.Build();

if (await AppCommands.TryRunAsync(app, args))
{
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapAccountsEndpoints();
app.MapSourcesEndpoints();
app.MapHealthEndpoints();
app.MapOpenApi();

app.Run();

/// <summary>The web host entry point; public so test hosts can reference it.</summary>
public partial class Program;
