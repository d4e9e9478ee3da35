namespace AuditDashboard.Configuration;

/// <summary>Demo accounts written on first start with an empty store. Section <c>DemoData</c>.</summary>
public sealed class DemoDataOptions
{
    public const string Section = "DemoData";

    public bool SeedOnFirstStart { get; set; }

    [Range(1, 10_000, ErrorMessage = "DemoData:Accounts must be between 1 and 10000.")]
    public int Accounts { get; set; } = 50;
}
