namespace AuditDashboard.Core.Export;

/// <summary>
/// What one flush of <see cref="AccessRecorder"/> did: how many batches it appended, how many wait still, how many the
/// pending bound dropped since the last flush, and why the append failed (null when it did not).
/// </summary>
public sealed record AccessFlush(int Appended, int Pending, int Dropped, Exception? Failure);
