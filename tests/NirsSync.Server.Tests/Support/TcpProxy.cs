using System.Net;
using System.Net.Sockets;

namespace NirsSync.Server.Tests.Support;

/// <summary>
/// A loopback TCP forwarder in front of the test PostgreSQL that a test can cut (every connection closed, new ones
/// refused) and restore: the database "goes away" for one server without touching the shared cluster.
/// </summary>
public sealed class TcpProxy : IDisposable
{
    private readonly int _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();

    public TcpProxy(int target)
    {
        _target = target;
        Port = ServerProcess.FreePort();
        Restore();
    }

    public int Port { get; }

    public void Cut()
    {
        _cut.Cancel();
        _listener?.Stop();
        _listener = null;
        lock (_open)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    public void Restore()
    {
        _cut = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        var listener = _listener;
        var token = _cut.Token;
        _ = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                TcpClient inbound;
                try { inbound = await listener.AcceptTcpClientAsync(token); }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
                var outbound = new TcpClient();
                try { await outbound.ConnectAsync(IPAddress.Loopback, _target, token); }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    inbound.Dispose();
                    outbound.Dispose();
                    continue;
                }
                lock (_open) { _open.Add(inbound); _open.Add(outbound); }
                _ = Pump(inbound, outbound, token);
                _ = Pump(outbound, inbound, token);
            }
        }, token);
    }

    private static async Task Pump(TcpClient from, TcpClient to, CancellationToken token)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream(), token); }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException) { }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public void Dispose() => Cut();
}
