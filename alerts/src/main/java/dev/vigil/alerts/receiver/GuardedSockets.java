package dev.vigil.alerts.receiver;

import dev.vigil.model.net.EgressGuard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * Plain sockets that connect only where the {@link EgressGuard} allows, for the SMTP client
 * (Angus Mail takes a socket factory; TLS, implicit or by STARTTLS, is layered on top of these).
 * A socket asked to connect to a host name resolves it through the guard and connects to the
 * address the guard checked, never to a second lookup of the same name, so a name that rebinds
 * after the check gets nowhere.
 */
final class GuardedSockets extends SocketFactory {

    private final EgressGuard guard;

    GuardedSockets(EgressGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket(guard);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(InetSocketAddress.createUnresolved(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(InetSocketAddress.createUnresolved(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }

    /** A socket whose every connect goes through the guard. */
    private static final class GuardedSocket extends Socket {
        private final EgressGuard guard;

        GuardedSocket(EgressGuard guard) {
            this.guard = guard;
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress)) {
                throw new IllegalArgumentException("endpoint: expected an InetSocketAddress, found " + endpoint);
            }
            InetSocketAddress target = (InetSocketAddress) endpoint;
            // the name as written (getHostString never does a reverse lookup); whatever the JDK resolved it to is ignored
            InetAddress checked = guard.resolve(target.getHostString()).get(0);
            super.connect(new InetSocketAddress(checked, target.getPort()), timeout);
        }
    }
}
