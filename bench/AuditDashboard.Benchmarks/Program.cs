using AuditDashboard.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- --filter '*'   (BenchmarkDotNet: append, replay)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- mirror         (the Kafka mirror: throughput and latency)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- export         (CSV and NDJSON exports of 100,000 events: time, memory)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- esdb [esdb://…] (EventStoreDB adapter vs embedded store; or EVENTSTOREDB_BENCH_CONNECTION)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- seal [rounds]   (append throughput with the ledger sealer on vs off)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- seed [accounts] [events-per-account] (seeding vs plain SQLite inserts)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- directory [LEDGER.db] [ACCOUNTS.db] (read models: build, restart, search)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- directory-build [esdb://…] [accounts] [events-per-account] (first read-model build, embedded and EventStoreDB)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- directory-build LEDGER.db [max-events] (first read-model build over an existing ledger, as it interleaves its accounts)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- history [LEDGER.db] [READMODELS.db] (any moment of a long account, from the marks)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- search LEDGER.db READMODELS.db (the event index: searches, counts, search exports)
// dotnet run -c Release --project bench/AuditDashboard.Benchmarks -- page BASE-URL ACCOUNT [USER] [PASSWORD] (a running dashboard's account page in Chromium: open, slider steps)
if (args is ["mirror", ..])
    await MirrorBench.RunAsync();
else if (args is ["export", ..])
    await ExportBench.RunAsync();
else if (args is ["seal", .. var sealArgs])
    await SealBench.RunAsync(sealArgs);
else if (args is ["seed", .. var seedArgs])
    await SeedBench.RunAsync(seedArgs);
else if (args is ["directory-build", .. var buildArgs])
    await DirectoryBench.BuildAsync(buildArgs);
else if (args is ["directory", .. var directoryArgs])
    await DirectoryBench.RunAsync(directoryArgs);
else if (args is ["history", .. var historyArgs])
    await HistoryBench.RunAsync(historyArgs);
else if (args is ["search", .. var searchArgs])
    await SearchBench.RunAsync(searchArgs);
else if (args is ["page", .. var pageArgs])
    Environment.ExitCode = await PageBench.RunAsync(pageArgs);
else if (args is ["esdb", .. var esdbArgs])
    Environment.ExitCode = await EventStoreDbBench.RunAsync(esdbArgs);
else
    BenchmarkSwitcher.FromAssembly(typeof(AppendBenchmarks).Assembly).Run(args);
