package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondLockOnADirectoryInUseIsRefusedNamingItAndTheLockComesBackWhenReleased() {
        Path data = dir.resolve("data");
        try (DataDirLock first = DataDirLock.acquire(data)) {
            assertThat(first).isNotNull();
            assertThat(data.resolve(DataDirLock.FILE)).exists();
            assertThatThrownBy(() -> DataDirLock.acquire(data.resolve("..").resolve("data")))
                    .isInstanceOf(DataDirLock.InUse.class)
                    .hasMessage("the data directory " + data.toAbsolutePath().normalize() + " is in use by another vigil (process "
                            + ProcessHandle.current().pid() + "); stop it first, or give this one another --data-dir");
            assertThat(DataDirLock.acquire(dir.resolve("other"))).isNotNull().satisfies(DataDirLock::close);
        }
        // the lock file stays behind and never blocks the next start
        assertThat(Files.exists(data.resolve(DataDirLock.FILE))).isTrue();
        DataDirLock.acquire(data).close();
    }

    @Test
    void aTakenPortIsNamedWithTheOptionThatChangesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> DataDirLock.requireFreePort("the HTTP", "127.0.0.1", taken.getLocalPort(), "--http-port"))
                    .isInstanceOf(DataDirLock.InUse.class)
                    .hasMessage("the HTTP port " + taken.getLocalPort() + " on 127.0.0.1 is already in use; give another with --http-port");
        }
        DataDirLock.requireFreePort("the HTTP", "127.0.0.1", 0, "--http-port");
        DataDirLock.requireFreePort("the HTTP", "127.0.0.1", -1, "--http-port");
    }

    @Test
    void aDirectoryThatIsWipedAtStartIsLockedFromBesideIt() {
        Path demo = dir.resolve("demo");
        try (DataDirLock first = DataDirLock.acquire(demo, dir.resolve("demo.lock"))) {
            assertThat(first).isNotNull();
            assertThat(dir.resolve("demo.lock")).exists();
            assertThatThrownBy(() -> DataDirLock.acquire(demo, dir.resolve("demo.lock")))
                    .isInstanceOf(DataDirLock.InUse.class).hasMessageContaining("the data directory " + demo.toAbsolutePath().normalize() + " is in use");
        }
    }
}
