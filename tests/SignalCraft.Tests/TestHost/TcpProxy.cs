using System.Net;
using System.Net.Sockets;

namespace SignalCraft.Tests.TestHost;

/// <summary>
/// A loopback TCP proxy in front of a server, so a test can cut or blackhole one app's database connection without
/// touching the shared PostgreSQL server.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private volatile bool _blackhole;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How long each new connection waits before it reaches the server: a slow or loaded database host.</summary>
    public TimeSpan ConnectDelay { get; set; }

    /// <summary>New and existing connections stop carrying bytes, and are not closed: the peer just waits.</summary>
    public void Blackhole()
    {
        _blackhole = true;
    }

    /// <summary>Closes every open connection (a reset as seen by the client); new ones still connect.</summary>
    public void CutExisting()
    {
        lock (_open)
        {
            foreach (var client in _open)
            {
                try
                {
                    client.Client?.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Linger, new LingerOption(true, 0));
                }
                catch (ObjectDisposedException)
                {
                    // already closed by its relay
                }
                client.Dispose();
            }
            _open.Clear();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            lock (_open)
            {
                _open.Add(inbound);
            }
            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        if (_blackhole)
        {
            return; // Accepted and held: the client's handshake waits forever, as with a dropped route.
        }
        using var outbound = new TcpClient();
        try
        {
            if (ConnectDelay > TimeSpan.Zero)
            {
                await Task.Delay(ConnectDelay, _stop.Token);
            }
            await outbound.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            lock (_open)
            {
                _open.Add(outbound);
            }
            await Task.WhenAny(
                PumpAsync(inbound.GetStream(), outbound.GetStream()),
                PumpAsync(outbound.GetStream(), inbound.GetStream()));
        }
        catch (Exception)
        {
            // The test decides what a broken connection means; the proxy only carries bytes.
        }
        finally
        {
            inbound.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }
            while (_blackhole)
            {
                await Task.Delay(50, _stop.Token); // hold the bytes: nothing gets through, nothing is closed
            }
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutExisting();
        _stop.Dispose();
    }
}
