using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
