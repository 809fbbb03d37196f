package io.rangestreams.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections of a {@link StaticFileServer}: one selector thread accepts them and reads request
 * heads without blocking, each within a deadline; only a complete head goes to one of a fixed number of
 * worker threads, which answers it and hands a kept-alive connection back. So a client that sends half a
 * request holds no thread, and is cut off when its deadline passes.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
final class StaticFileConnections implements AutoCloseable {

    /** Answers one request on a blocking channel; the connection is kept alive if the exchange allows. */
    interface Handler {
        void answer(StaticFileExchange exchange) throws IOException;
    }

    /** What a connection waiting for its request head holds: the head so far and its deadlines. */
    private static final class Pending {
        final ByteBuffer head;
        final long idleDeadline;
        long headDeadline = Long.MAX_VALUE;

        Pending(int maxHead, long idleDeadline) {
            this.head = ByteBuffer.allocate(maxHead);
            this.idleDeadline = idleDeadline;
        }

        long deadline() {
            return Math.min(idleDeadline, headDeadline);
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final StaticFileServer.Limits limits;
    private final Handler handler;
    private final ThreadPoolExecutor workers;
    private final Queue<SocketChannel> keptAlive = new ConcurrentLinkedQueue<>();
    private final Thread loop;
    private volatile boolean open = true;

    StaticFileConnections(ServerSocketChannel server, StaticFileServer.Limits limits, Handler handler)
            throws IOException {
        this.server = server;
        this.limits = limits;
        this.handler = handler;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(limits.threads(), limits.threads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()), r -> daemon(r, "range-streams-serve-" + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        this.loop = daemon(this::run, "range-streams-serve-accept");
        loop.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void run() {
        try {
            while (open) {
                if (selector.selectedKeys().isEmpty()) {
                    selector.select(250);
                }
                List<Runnable> handOffs = new ArrayList<>();
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    ready(key, handOffs);
                }
                if (!handOffs.isEmpty()) {
                    selector.selectNow(); // deregisters the cancelled channels, so that they may block in a worker
                    handOffs.forEach(Runnable::run);
                }
                registerKeptAlive();
                expire(System.nanoTime());
            }
        } catch (IOException | ClosedSelectorException e) {
            // Closing the server ends the loop; nothing is left to answer.
        }
    }

    private void ready(SelectionKey key, List<Runnable> handOffs) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isAcceptable()) {
                SocketChannel ch;
                while ((ch = server.accept()) != null) {
                    register(ch);
                }
            } else if (key.isReadable()) {
                read(key, handOffs);
            }
        } catch (IOException e) {
            closeQuietly(key);
        }
    }

    private void register(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ,
                new Pending(limits.maxHeadBytes(), System.nanoTime() + limits.idleTimeout().toNanos()));
    }

    private void registerKeptAlive() {
        SocketChannel ch;
        while ((ch = keptAlive.poll()) != null) {
            try {
                register(ch);
            } catch (IOException e) {
                closeQuietly(ch);
            }
        }
    }

    private void read(SelectionKey key, List<Runnable> handOffs) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        Pending p = (Pending) key.attachment();
        int before = p.head.position();
        if (ch.read(p.head) < 0) {
            closeQuietly(key);
            return;
        }
        if (before == 0 && p.head.position() > 0) {
            p.headDeadline = System.nanoTime() + limits.headerTimeout().toNanos();
        }
        int end = endOfHead(p.head.array(), p.head.position());
        if (end < 0) {
            if (!p.head.hasRemaining()) {
                refuse(key, 431, "request head longer than " + limits.maxHeadBytes() + " bytes");
            }
            return;
        }
        StaticFileExchange exchange;
        try {
            exchange = StaticFileExchange.parse(ch, p.head.array(), end);
        } catch (IOException e) {
            refuse(key, 400, e.getMessage());
            return;
        }
        boolean pipelined = p.head.position() > end;
        key.cancel();
        handOffs.add(() -> handOff(exchange, ch, pipelined));
    }

    private void handOff(StaticFileExchange exchange, SocketChannel ch, boolean pipelined) {
        try {
            ch.configureBlocking(true);
            workers.execute(() -> answer(exchange, ch, pipelined));
        } catch (RejectedExecutionException e) {
            try {
                ch.write(StaticFileExchange.refusal(503, "too many requests waiting; try again"));
            } catch (IOException gone) {
                // The client is gone; closing is all that is left.
            }
            closeQuietly(ch);
        } catch (IOException e) {
            closeQuietly(ch);
        }
    }

    private void answer(StaticFileExchange exchange, SocketChannel ch, boolean pipelined) {
        try {
            handler.answer(exchange);
            // A pipelined request's bytes were read with this one's head: close rather than lose them.
            if (open && exchange.keepAlive() && !pipelined) {
                ch.configureBlocking(false);
                keptAlive.add(ch);
                selector.wakeup();
                return;
            }
        } catch (IOException | RuntimeException e) {
            // The client went away mid-response, or the file vanished: nothing more can be sent.
        }
        closeQuietly(ch);
    }

    /** The length of the head through its empty line, or -1 if it has not all arrived. */
    static int endOfHead(byte[] b, int length) {
        for (int i = 0; i + 1 < length; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || b[i + 1] == '\r' && i + 2 < length && b[i + 2] == '\n')) {
                return b[i + 1] == '\n' ? i + 2 : i + 3;
            }
        }
        return -1;
    }

    private void expire(long now) {
        List<SelectionKey> late = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Pending p && now - p.deadline() > 0) {
                late.add(key);
            }
        }
        for (SelectionKey key : late) {
            Pending p = (Pending) key.attachment();
            if (p.head.position() > 0) {
                refuse(key, 408, "request head not received within " + limits.headerTimeout().toMillis() + " ms");
            } else {
                closeQuietly(key); // an idle kept-alive connection: close it without a word, as servers do
            }
        }
    }

    /** Answers without a worker, as far as the socket takes it at once, and closes. */
    private void refuse(SelectionKey key, int status, String text) {
        try {
            ((SocketChannel) key.channel()).write(StaticFileExchange.refusal(status, text));
        } catch (IOException e) {
            // The client is gone; closing is all that is left.
        }
        closeQuietly(key);
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        closeQuietly((SocketChannel) key.channel());
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Already closed or broken: nothing to release.
        }
    }

    /** The live worker threads, at most the configured number. */
    int workerThreads() {
        return workers.getPoolSize();
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        selector.wakeup();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            if (key.channel() instanceof SocketChannel) {
                closeQuietly(key);
            }
        }
        try {
            selector.close();
            server.close();
        } catch (IOException e) {
            // Closing a listening socket fails only if it is already closed.
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keptAlive.forEach(StaticFileConnections::closeQuietly);
    }
}
