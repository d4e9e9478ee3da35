// Every test starts a server or a browser; on two cores they measure and behave more predictably one at a time.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
