using AuditDashboard.Core.Export;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Authorization;

namespace AuditDashboard.Access;

/// <summary>The access recorder, its hosted service, and the record of refused reads.</summary>
internal static class AccessLogSetup
{
    public static void AddAccessLog(this IServiceCollection services)
    {
        services.AddOptions<AccessLogOptions>().BindConfiguration(AccessLogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AccessLogOptions>>().Value;
            return new AccessRecorder(sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<TimeProvider>(), options.BatchWindow, options.MaxPending);
        });
        services.AddHostedService<AccessRecorderService>();
        services.AddSingleton<AuthorizationMiddlewareResultHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, DeniedReadRecorder>();
        services.AddScoped<AccessLogReader>();
    }
}
