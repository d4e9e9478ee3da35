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

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        node.Enter(context);
        var call = context.GetHttpContext();
        node.Track(call);
        try
        {
            await continuation(request, responseStream, context);
        }
        finally
        {
            node.Untrack(call);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        node.Enter(context);
        var call = context.GetHttpContext();
        node.Track(call);
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        finally
        {
            node.Untrack(call);
        }
    }
}
