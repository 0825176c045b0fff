package dev.vigil.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vigil} in its own JVM (this test JVM's classpath), so a test can kill it the hard way:
 * SIGKILL, no shutdown hook, no clean close, as a crashed machine would.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Vigil.class.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ChildJvm(p, log);
    }

    /** Waits until the child's output contains {@code text}; fails if it exits first. */
    void awaitOutput(String text, Duration timeout) {
        Await.until(timeout, "'" + text + "' in " + log, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the child JVM exited with " + process.exitValue() + " before printing '" + text + "'; see " + log);
            }
            return output().contains(text);
        });
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the child to exit on its own; its exit code, or fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child JVM did not exit within " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    /** SIGTERM (the shutdown hook runs, as on Ctrl-C), then waits; the exit code, or fails after {@code timeout}. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL, then wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
