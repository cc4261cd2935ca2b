package io.onramp.connect.source.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on a loopback port in front of a shared database server, so that a test can take "the network"
 * away from a task without touching the server others use: while {@linkplain #refuse refusing} it accepts a
 * connection and closes it at once (the driver sees the server go away during its handshake); while
 * {@linkplain #forward forwarding} it relays bytes both ways; {@link #cutWhenClientSends} closes a connection the
 * moment the client sends the given text (e.g. {@code COMMIT}), before the server sees it.
 */
public final class TcpProxy implements AutoCloseable {

    private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean forwarding;
    private volatile byte[] cutOn;

    private TcpProxy(String upstreamHost, int upstreamPort, boolean forwarding) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.forwarding = forwarding;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy in front of the server of {@code jdbcUrl} (host and port taken from it), forwarding or refusing. */
    public static TcpProxy inFrontOf(String jdbcUrl, boolean forwarding) throws IOException {
        Matcher m = HOST_PORT.matcher(jdbcUrl);
        if (!m.find()) {
            throw new IllegalArgumentException("no //host:port/ in " + jdbcUrl);
        }
        return new TcpProxy(m.group(1), Integer.parseInt(m.group(2)), forwarding);
    }

    /** {@code jdbcUrl} with its host and port replaced by this proxy's. */
    public String url(String jdbcUrl) {
        return HOST_PORT.matcher(jdbcUrl).replaceFirst("//127.0.0.1:" + server.getLocalPort() + "/");
    }

    public void forward() {
        forwarding = true;
    }

    public void refuse() {
        forwarding = false;
    }

    /** From now on, every connection whose client sends {@code text} is closed before the server gets it. */
    public void cutWhenClientSends(String text) {
        cutOn = text.getBytes(StandardCharsets.US_ASCII);
    }

    public void stopCutting() {
        cutOn = null;
    }

    /** Closes every connection open now, as a network fault would: the next use of one fails. */
    public void cutAll() {
        sockets.forEach(TcpProxy::closeQuietly);
    }

    /** Connections accepted so far (refused ones included). */
    public int accepted() {
        return accepted.get();
    }

    /** Connections closed by {@link #cutWhenClientSends} so far. */
    public int cuts() {
        return cuts.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (!forwarding) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            byte[] tail = new byte[0]; // the end of the previous read, for text split across two reads
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    byte[] pattern = cutOn;
                    if (fromClient && pattern != null) {
                        byte[] window = new byte[tail.length + n];
                        System.arraycopy(tail, 0, window, 0, tail.length);
                        System.arraycopy(buffer, 0, window, tail.length, n);
                        if (contains(window, pattern)) {
                            cuts.incrementAndGet();
                            break;
                        }
                        tail = Arrays.copyOfRange(window, Math.max(0, window.length - pattern.length + 1), window.length);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (SocketException e) {
                // the other direction closed the pair
            } catch (IOException e) {
                // the connection is gone either way
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    private static boolean contains(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that is gone already
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            server.close();
        } catch (IOException e) {
            // closed already
        }
        sockets.forEach(TcpProxy::closeQuietly);
        acceptor.join(5_000);
    }
}
