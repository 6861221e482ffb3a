using System.Net;
using System.Net.Sockets;

namespace SignalCraft.Bench.Faults;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL, so one SignalCraft's database can fail without touching the shared
/// server: <see cref="Cut"/> resets every connection and every new one (as a database that went away), <see cref="Blackhole"/>
/// accepts and holds connections and bytes without an answer (as a dropped route), <see cref="Restore"/> resets what
/// was held and carries new connections again (as a database that came back).
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private enum Mode { Pass, Cut, Blackhole }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private volatile Mode _mode = Mode.Pass;

    public TcpFaultProxy(string host, int port)
    {
        _host = host;
        _port = port;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        _mode = Mode.Cut;
        ResetAll();
    }

    public void Blackhole() => _mode = Mode.Blackhole;

    public void Restore()
    {
        _mode = Mode.Pass;
        ResetAll();
    }

    private void ResetAll()
    {
        lock (_open)
        {
            foreach (var client in _open)
            {
                Reset(client);
            }
            _open.Clear();
        }
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client?.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Linger, new LingerOption(true, 0));
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
        }
        client.Dispose();
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
            if (_mode == Mode.Cut)
            {
                Reset(inbound);
                continue;
            }
            // PostgreSQL's protocol is small messages in round trips: Nagle's delay on the relay would multiply them.
            inbound.NoDelay = true;
            lock (_open)
            {
                _open.Add(inbound);
            }
            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        using var outbound = new TcpClient { NoDelay = true };
        try
        {
            // A connection accepted while blackholed waits here, unanswered, until restored (then it is reset).
            while (_mode == Mode.Blackhole)
            {
                await Task.Delay(50, _stop.Token);
            }
            await outbound.ConnectAsync(_host, _port, _stop.Token);
            lock (_open)
            {
                _open.Add(outbound);
            }
            await Task.WhenAny(Pump(inbound.GetStream(), outbound.GetStream()), Pump(outbound.GetStream(), inbound.GetStream()));
        }
        catch (Exception)
        {
            // A reset connection ends here; what it means is the drill's to judge.
        }
        finally
        {
            inbound.Dispose();
        }
    }

    private async Task Pump(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }
            while (_mode == Mode.Blackhole)
            {
                await Task.Delay(50, _stop.Token); // held: nothing gets through, nothing is closed
            }
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        ResetAll();
        _stop.Dispose();
    }
}
