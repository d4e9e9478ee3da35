using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AuditDashboard.Adapters.Tests.EventStoreDb;

/// <summary>Puts every call of a test server through its <see cref="TestNode"/> first: counted, failed or turned away as set up.</summary>
internal sealed class TestNodeInterceptor(TestNode node) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        node.Enter(context);
        var response = await continuation(request, context);
        node.Leave(context);
        return response;
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        node.Enter(context);
        var response = await continuation(requestStream, context);
        node.Leave(context);
        return response;
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        TrackedAsync(context, () => continuation(request, responseStream, context));

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        TrackedAsync(context, () => continuation(requestStream, responseStream, context));

    // A streaming call runs until it ends or the node "dies": tracked meanwhile, so a stop can cut it off.
    private async Task TrackedAsync(ServerCallContext context, Func<Task> call)
    {
        node.Enter(context);
        var http = context.GetHttpContext();
        node.Track(http);
        try
        {
            await call();
        }
        finally
        {
            node.Untrack(http);
        }
    }
}
