using System.Diagnostics.CodeAnalysis;

namespace AuditDashboard.Core.Accounts;

/// <summary>Account ids and the stream that holds each account's events: <c>account-{id}</c>.</summary>
public static class AccountIds
{
    public const string StreamPrefix = "account-";
    public const int MaxLength = 64;

    /// <summary>An id is 1–64 letters, digits, '-' or '_': safe in a stream name, a URL and a file name.</summary>
    public static bool IsValid([NotNullWhen(true)] string? accountId) =>
        !string.IsNullOrEmpty(accountId)
        && accountId.Length <= MaxLength
        && accountId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string StreamOf(string accountId) =>
        IsValid(accountId) ? StreamPrefix + accountId : throw new ArgumentException($"'{accountId}' is not a valid account id.", nameof(accountId));

    public static bool TryFromStream(string streamId, [NotNullWhen(true)] out string? accountId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        accountId = streamId.StartsWith(StreamPrefix, StringComparison.Ordinal) ? streamId[StreamPrefix.Length..] : null;
        return accountId is not null;
    }
}
