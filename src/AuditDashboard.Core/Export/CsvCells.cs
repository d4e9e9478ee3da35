namespace AuditDashboard.Export;

/// <summary>
/// Formula injection, neutralised as OWASP recommends: a cell whose text starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>,
/// a tab, a carriage return or NUL is written with a leading <c>'</c>, so a spreadsheet shows it as text and runs nothing.
/// A cell that starts with <c>'</c> itself gets one too, so reading reverses it exactly: drop one leading <c>'</c>.
/// </summary>
public static class CsvCells
{
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0' or '\'' ? "'" + value : value;

    public static string Restore(string cell) => cell.StartsWith('\'') ? cell[1..] : cell;
}
