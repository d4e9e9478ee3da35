using AuditDashboard.Adapters.EventStoreDb;
using AuditDashboard.Adapters.Integrity;
using AuditDashboard.Hosting;
using AuditDashboard.Integrity;
using Microsoft.Extensions.Hosting.Internal;

namespace AuditDashboard.Tests.Integrity;

/// <summary>Where the sealer keeps its leaf records when <c>Integrity:LeafFile</c> does not say.</summary>
public sealed class LeafFilePathTests
{
    private static readonly HostingEnvironment Environment = new() { ContentRootPath = Path.Combine(Path.GetTempPath(), "leaf-path-root") };

    [Fact]
    public void LeafFilePath_ForEventStoreDbServersOfDifferentNodes_IsAFileOfEach_InTheDataFolder()
    {
        using var one = new EventStoreDbEventStore("esdb://10.0.0.1:2113?tls=false");
        using var other = new EventStoreDbEventStore("esdb://10.0.0.2:2113?tls=false");

        var onePath = IntegrityFiles.LeafFilePath(new IntegrityOptions(), one, Environment);
        var otherPath = IntegrityFiles.LeafFilePath(new IntegrityOptions(), other, Environment);

        Assert.NotEqual(onePath, otherPath);
        Assert.Equal(Path.Combine(Environment.ContentRootPath, "data"), Path.GetDirectoryName(onePath));
        Assert.Matches(@"^ledger-[0-9a-f]{8}\.leaves$", Path.GetFileName(onePath));
    }

    [Fact]
    public void LeafFilePath_ForTheSameClusterNamedInAnotherOrder_IsTheSameFile()
    {
        using var listed = new EventStoreDbEventStore("esdb+discover://node1.example:2113,node2.example:2113,node3.example:2113?tls=false");
        using var reordered = new EventStoreDbEventStore("esdb+discover://NODE3.example:2113,node1.example:2113,node2.example:2113?tls=false");

        var listedPath = IntegrityFiles.LeafFilePath(new IntegrityOptions(), listed, Environment);
        var reorderedPath = IntegrityFiles.LeafFilePath(new IntegrityOptions(), reordered, Environment);

        Assert.Equal(listedPath, reorderedPath);
    }

    [Fact]
    public void LeafFilePath_WhenConfigured_IsThatFile_WhateverTheStore()
    {
        using var store = new EventStoreDbEventStore("esdb://10.0.0.1:2113?tls=false");

        var path = IntegrityFiles.LeafFilePath(new IntegrityOptions { LeafFile = "elsewhere/my.leaves" }, store, Environment);

        Assert.Equal(Path.GetFullPath(Path.Combine(Environment.ContentRootPath, "elsewhere", "my.leaves")), path);
    }
}
