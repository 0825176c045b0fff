package dev.vigil.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a data directory ({@code FileChannel.tryLock} on {@code DIR/.lock}), taken
 * before anything else starts, so a second {@code vigil run} on a directory in use stops with one
 * line instead of opening the first one's Kafka log and Streams state under it. The operating
 * system drops the lock when the process dies, however it dies: a stale lock file never blocks a
 * restart. The file holds the owner's process id, for the message.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE = ".lock";

    /** Another process holds the directory or the port: said in one line, no stack trace. */
    static final class InUse extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InUse(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Directories locked by this JVM. A second command in the same JVM (tests run commands
     * in-process) is refused here, before it opens a second descriptor of the lock file: on Linux,
     * closing any descriptor of a file drops every lock the process holds on it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (creating it), or throws {@link InUse} naming it when another process, or
     * another command in this JVM, holds it.
     */
    static DataDirLock acquire(Path dir) {
        return acquire(dir, dir.resolve(FILE));
    }

    /**
     * Locks {@code dir} through a lock file of its own choosing: {@code vigil demo} wipes its
     * directory at each start, so its lock file sits beside it ({@code DIR/demo.lock} for
     * {@code DIR/demo}), never inside.
     */
    static DataDirLock acquire(Path dir, Path file) {
        Path key = dir.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
            throw inUse(key, Long.toString(ProcessHandle.current().pid()));
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;   // held in this JVM through a path HELD did not know (a link)
            }
            if (lock == null) {
                String owner = owner(channel);
                HELD.remove(key);
                channel.close();
                throw inUse(key, owner);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new DataDirLock(key, channel, lock);
        } catch (IOException e) {
            HELD.remove(key);
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock the data directory " + dir.toAbsolutePath().normalize() + ": " + e.getMessage(), e);
        }
    }

    private static InUse inUse(Path dir, String owner) {
        return new InUse("the data directory " + dir + " is in use by another vigil" + (owner.isEmpty() ? "" : " (process " + owner + ")")
                + "; stop it first, or give this one another --data-dir");
    }

    /**
     * Throws {@link InUse} naming the port and the option that changes it when something already
     * listens on {@code bind:port}; a port of 0 (any free one) or below (off) is never taken.
     */
    static void requireFreePort(String what, String bind, int port, String option) {
        if (port <= 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);   // as servers bind: a port in TIME_WAIT is free
            probe.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
        } catch (BindException e) {
            throw new InUse(what + " port " + port + " on " + bind + " is already in use; give another with " + option);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + what + " port " + port + " on " + bind + ": " + e.getMessage(), e);
        }
    }

    private static String owner(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            channel.read(buf, 0);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip().replaceAll("[^0-9]", "");
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // the lock was never ours; nothing to release
            org.slf4j.LoggerFactory.getLogger(DataDirLock.class).debug("closing the lock file: {}", e.toString());
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it too
            org.slf4j.LoggerFactory.getLogger(DataDirLock.class).debug("releasing the data directory lock: {}", e.toString());
        }
        closeQuietly(channel);
        HELD.remove(dir);
    }
}
