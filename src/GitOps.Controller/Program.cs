using Serilog;

// The controller host. Until the sync loop lands (issue 7) it serves only health endpoints.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSerilog((_, lc) => lc.WriteTo.Console());
builder.Services.AddGrpc();
builder.Services.AddGrpcHealthChecks();
var app = builder.Build();
app.MapGrpcHealthChecksService();
app.MapGet("/healthz", () => "ok");
app.Run();
