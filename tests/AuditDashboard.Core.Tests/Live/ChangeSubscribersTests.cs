using AuditDashboard.Core.Live;


namespace AuditDashboard.Core.Tests.Live;

public sealed class ChangeSubscribersTests
{
    [Fact]
    public void Notify_CallsEverySubscriber_UntilItsSubscriptionIsDisposed()
    {
        var subscribers = new ChangeSubscribers();
        var calls = new List<string>();
        var first = subscribers.Subscribe(() => Record(calls, "first"));
        using var second = subscribers.Subscribe(() => Record(calls, "second"));

        subscribers.Notify();
        first.Dispose();
        subscribers.Notify();

        Assert.Equal(["first", "second", "second"], calls);
        Assert.True(subscribers.Any);
    }

    [Fact]
    public void ASubscriberThatFails_NeitherReachesTheNotifier_NorStopsTheOthers()
    {
        var subscribers = new ChangeSubscribers();
        var calls = new List<string>();
        using var failing = subscribers.Subscribe(() => throw new InvalidOperationException("The page has gone."));
        using var faulted = subscribers.Subscribe(() => Task.FromException(new ObjectDisposedException("renderer")));
        using var working = subscribers.Subscribe(() => Record(calls, "working"));

        subscribers.Notify();

        Assert.Equal(["working"], calls);
    }

    [Fact]
    public void TheSameCallbackSubscribedTwice_IsCalledTwice_AndEachDisposalRemovesOne_OnceOnly()
    {
        var subscribers = new ChangeSubscribers();
        var calls = new List<string>();
        Func<Task> onChange = () => Record(calls, "page");
        var one = subscribers.Subscribe(onChange);
        var two = subscribers.Subscribe(onChange);

        one.Dispose();
        one.Dispose();
        subscribers.Notify();
        two.Dispose();
        subscribers.Notify();

        Assert.Equal(["page"], calls);
        Assert.False(subscribers.Any);
    }

    private static Task Record(List<string> calls, string name)
    {
        calls.Add(name);
        return Task.CompletedTask;
    }
}
