using AuditDashboard.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- --filter '*'   (BenchmarkDotNet: append, replay)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- mirror         (the Kafka mirror: throughput and latency)
if (args is ["mirror", ..])
    await MirrorBench.RunAsync();
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
