using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Health;
using SignalCraft.Hosting;
using SignalCraft.Secrets;

var builder = WebApplication.CreateBuilder(args);

builder.AddHosting();
builder.AddData();
builder.AddSecrets();
builder.AddAccounts();
builder.AddHealth();
builder.Services.AddOpenApi();

var app = builder.Build();

if (await AppCommands.TryRunAsync(app, args))
{
    return;
}

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapHealthEndpoints();
app.MapAccountsEndpoints();
app.MapOpenApi();

app.Run();

/// <summary>The web host entry point; public so test hosts can reference it.</summary>
public partial class Program;
