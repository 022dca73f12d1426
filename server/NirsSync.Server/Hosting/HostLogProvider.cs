using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace NirsSync.Server.Hosting;

/// <summary>
/// Hangfire logs through one process-wide provider, set by whichever host configured Hangfire last. When
/// several hosts share a process (the test suites start many) and that host is disposed, Hangfire's
/// default provider throws ObjectDisposedException from its logger factory, and with it job creation
/// (AutomaticRetryAttribute asks for a logger when first built). This provider writes to the host's
/// logging while that lives and drops messages after, instead of failing the caller.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name) => new HostLog(factory, name);

    private sealed class HostLog(ILoggerFactory factory, string name) : ILog
    {
        private ILogger? _logger;

        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                var logger = _logger ??= factory.CreateLogger(name);
                var level = Map(logLevel);
                if (messageFunc is null) return logger.IsEnabled(level);
                if (!logger.IsEnabled(level)) return false;
                logger.Log(level, 0, messageFunc(), exception, static (message, _) => message);
                return true;
            }
            catch (InvalidOperationException)
            {
                // ObjectDisposedException, or a console logger whose queue was completed at disposal.
                return false;
            }
        }

        private static MsLevel Map(HangfireLevel level) => level switch
        {
            HangfireLevel.Trace => MsLevel.Trace,
            HangfireLevel.Debug => MsLevel.Debug,
            HangfireLevel.Info => MsLevel.Information,
            HangfireLevel.Warn => MsLevel.Warning,
            HangfireLevel.Error => MsLevel.Error,
            _ => MsLevel.Critical,
        };
    }
}
