namespace AuditDashboard.Seeding;

/// <summary>Accounts the seeder makes alike: how many, and how many events each holds.</summary>
internal sealed record AccountGroup(int Accounts, int EventsPerAccount);
