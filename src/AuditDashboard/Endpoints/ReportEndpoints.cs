using AuditDashboard.Core.Export;
using AuditDashboard.Core.Reports;

namespace AuditDashboard.Endpoints;

/// <summary>Reports over the event index.</summary>
internal static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").RequireAuthorization(Policies.ReportCorrections).WithTags("Reports");
        reports.MapGet("/corrections", CorrectionsAsync);
    }

    /// <summary>
    /// The corrections report of the recorded times from <c>from</c> to <c>to</c> (both required; a day is a UTC day,
    /// whole, or give a moment), its buckets cut in UTC. <c>complete</c> is false while the event index is still being
    /// built from the ledger.
    /// </summary>
    private static async Task<IResult> CorrectionsAsync(string? from, string? to, AccountDirectory directory, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var start = ExportRange.ParseEnd(from, "from", endOfDay: false, errors);
        var end = ExportRange.ParseEnd(to, "to", endOfDay: true, errors);
        foreach (var (name, given) in new[] { ("from", from), ("to", to) })
        {
            if (string.IsNullOrWhiteSpace(given))
                errors[name] = [$"{name} is required: a day (e.g. 2026-11-30) or a moment (e.g. 2026-11-30T14:30:00Z)."];
        }

        if (errors.Count == 0 && start > end)
            errors["to"] = [$"The period is empty: from ({ExportText.Time(start!.Value)}) is after to ({ExportText.Time(end!.Value)})."];
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The period is not valid.");

        var complete = directory.IsCaughtUp;
        var report = await CorrectionsReport.ReadAsync(directory.Store, new ReportPeriod(start!.Value, end!.Value, TimeZoneInfo.Utc), cancellationToken: cancellationToken);
        return Results.Ok(CorrectionsReportDto.Of(report, complete));
    }
}

/// <param name="Complete">False while the event index is still being built from the ledger: later events are not counted yet.</param>
internal sealed record CorrectionsReportDto(
    DateTimeOffset From,
    DateTimeOffset To,
    string Bucket,
    long Corrections,
    IReadOnlyList<CorrectionGroup> ByActor,
    IReadOnlyList<CorrectionGroup> ByKind,
    IReadOnlyList<CorrectionGroup> ByCurrency,
    FourEyesDto FourEyes,
    IReadOnlyList<CorrectionBucket> Buckets,
    bool Complete)
{
    public static CorrectionsReportDto Of(CorrectionsReport report, bool complete) => new(
        report.Period.From, report.Period.To, report.Period.Bucket.ToString().ToLowerInvariant(), report.Corrections,
        report.ByActor, report.ByKind, report.ByCurrency, FourEyesDto.From(report.FourEyes), report.Buckets, complete);
}

/// <param name="MedianSecondsToDecision">The median time from a proposal to its decision, in seconds; null when no decision of the period was timed.</param>
internal sealed record FourEyesDto(long Proposed, long Approved, long Rejected, long Pending, double? MedianSecondsToDecision, long DecisionsTimed)
{
    public static FourEyesDto From(FourEyesFigures f) =>
        new(f.Proposed, f.Approved, f.Rejected, f.Pending, f.MedianToDecision?.TotalSeconds, f.DecisionsTimed);
}
