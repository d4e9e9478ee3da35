namespace AuditDashboard.Hosting;

/// <summary>
/// The frame of a long console command over a ledger it opened itself: Ctrl-C cancels the work instead of killing the
/// process, so what was written before stays whole, and the command says so and exits 130 (as a shell reports an
/// interrupt); the ledger is closed however the work ends.
/// </summary>
internal static class LedgerCommand
{
    /// <summary>The exit code of a command stopped by Ctrl-C.</summary>
    public const int Interrupted = 130;

    /// <summary>Runs <paramref name="work"/> with a token that Ctrl-C cancels, then disposes <paramref name="ledger"/>.</summary>
    /// <param name="ledger">The store the command created; disposed at the end.</param>
    /// <param name="whenCancelled">What is written to standard error when Ctrl-C stopped the work: what stays, what remains.</param>
    /// <param name="work">The command's work; returns its exit code.</param>
    public static async Task<int> RunAsync(IEventStore ledger, string whenCancelled, Func<CancellationToken, Task<int>> work)
    {
        using var cancel = new CancellationTokenSource();
        void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            cancel.Cancel();
        }

        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            return await work(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine(whenCancelled);
            return Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
            if (ledger is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
        }
    }
}
