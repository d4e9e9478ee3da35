namespace AuditDashboard.Core.Integrity;

/// <summary>Leaf records held open by one reader or the one writer, who closes them when done.</summary>
public interface ILeafFile : ILeafLog, IDisposable
{
}
