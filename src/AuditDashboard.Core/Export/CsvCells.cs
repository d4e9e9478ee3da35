using System.Text.RegularExpressions;

namespace AuditDashboard.Core.Export;

/// <summary>
/// Formula injection, neutralised as OWASP recommends: a cell whose text starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>,
/// a tab, a carriage return or NUL is written with a leading <c>'</c>, so a spreadsheet shows it as text and runs nothing.
/// A cell that starts with <c>'</c> itself gets one too, so reading reverses it exactly: drop one leading <c>'</c>.
/// The one exception is a plain number (<see cref="IsPlainNumber"/>): <c>-245.27</c> is written as it is, so a spreadsheet
/// reads negative amounts as numbers it can sum; a plain number cannot carry a formula.
/// </summary>
public static partial class CsvCells
{
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0' or '\'' && !IsPlainNumber(value) ? "'" + value : value;

    public static string Restore(string cell) => cell.StartsWith('\'') ? cell[1..] : cell;

    /// <summary>
    /// The whole text is an optional <c>-</c>, one or more ASCII digits, and optionally one <c>.</c> followed by one or more
    /// ASCII digits: <c>-245.27</c>, <c>-0</c>, <c>1000</c>. Nothing else is: no <c>+</c>, exponent, second sign, leading or
    /// trailing point (<c>-.5</c>, <c>-5.</c>), grouping, spaces or other digits; those stay neutralised when they start like
    /// a formula.
    /// </summary>
    public static bool IsPlainNumber(string value) => PlainNumber().IsMatch(value);

    // [0-9], not \d: \d also matches other scripts' digits, which a spreadsheet may not read as a number. \z, not $: $ allows a
    // trailing line feed.
    [GeneratedRegex(@"\A-?[0-9]+(?:\.[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
