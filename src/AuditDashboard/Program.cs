using AuditDashboard.Hosting;

if (Commands.IsCommand(args))
    return await Commands.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddStartupGuard();
builder.AddAuditDashboard();
var app = builder.Build();
app.UseAuditDashboard();
return await StartupGuard.RunAsync(app);

/// <summary>The composition root; public so tests can host the app.</summary>
public partial class Program;
