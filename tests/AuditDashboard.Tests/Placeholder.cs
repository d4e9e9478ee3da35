namespace AuditDashboard.Tests;
