package io.onramp.connect.sink.snapshot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @TempDir
    Path dir;

    private static List<String> export(StateStore store) {
        var rows = new ArrayList<String>();
        try (var next = store.merge((key, value) -> rows.add(key + "=" + value))) {
            next.commit("2024-01-01T00:00:00Z");
        }
        return rows;
    }

    @Test
    void keepsTheLatestRowOfEveryKeyAndDropsDeletedKeys() {
        try (var store = StateStore.open(dir, 1 << 20)) {
            store.append(0, 0, "b", "b1");
            store.append(0, 1, "a", "a1");
            store.append(0, 2, "c", "c1");
            store.append(0, 3, "b", "b2");
            store.append(0, 4, "c", null);
            assertThat(export(store)).containsExactly("a=a1", "b=b2");

            store.append(0, 5, "a", null);
            store.append(0, 6, "d", "d1");
            store.append(0, 7, "c", "c2");
            store.append(0, 8, "d", "d2");
            assertThat(export(store)).containsExactly("b=b2", "c=c2", "d=d2");
            assertThat(store.snapshotRows()).isEqualTo(3);
        }
    }

    @Test
    void anExportWithoutChangesRepeatsThePreviousSnapshot() {
        try (var store = StateStore.open(dir, 1 << 20)) {
            store.append(0, 0, "x", "1");
            assertThat(export(store)).containsExactly("x=1");
            assertThat(export(store)).containsExactly("x=1");
        }
    }

    @Test
    void deleteOfAnUnknownKeyAndReinsertAfterDeleteInOnePeriod() {
        try (var store = StateStore.open(dir, 1 << 20)) {
            store.append(0, 0, "ghost", null);
            store.append(0, 1, "k", "1");
            store.append(0, 2, "k", null);
            store.append(0, 3, "k", "2");
            assertThat(export(store)).containsExactly("k=2");
        }
    }

    @Test
    void offsetsBecomeDurableOnlyWhenSynced() {
        try (var store = StateStore.open(dir, 1 << 20)) {
            store.append(0, 10, "a", "1");
            store.append(1, 20, "b", "1");
            assertThat(store.nextOffset(0)).isEqualTo(11);
            assertThat(store.durableOffsets()).isEmpty();
            assertThat(store.sync()).isEqualTo(new TreeMap<>(Map.of(0, 11L, 1, 21L)));
        }
    }

    @Test
    void reopensAtTheLastSyncAndCutsOffChangesWrittenAfterIt() throws IOException {
        var store = StateStore.open(dir, 1 << 20);
        store.append(0, 0, "a", "1");
        store.append(0, 1, "b", "1");
        store.sync();
        store.append(0, 2, "c", "1");
        // a crash: the process dies with bytes past the checkpoint on disk (here: written by hand) and no close()
        Files.write(dir.resolve(StateStore.logName(0)), new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
        store.releaseLockAsACrashWould();

        try (var reopened = StateStore.open(dir, 1 << 20)) {
            assertThat(reopened.nextOffset(0)).isEqualTo(2);
            reopened.append(0, 2, "c", "2");
            assertThat(export(reopened)).containsExactly("a=1", "b=1", "c=2");
        }
    }

    @Test
    void aMergeThatWasNotCommittedLeavesThePreviousGenerationCurrent() throws IOException {
        var store = StateStore.open(dir, 1 << 20);
        store.append(0, 0, "a", "1");
        assertThat(export(store)).containsExactly("a=1");
        store.append(0, 1, "a", "2");
        store.append(0, 2, "b", "1");
        var rows = new ArrayList<String>();
        store.merge((key, value) -> rows.add(key)); // crash before commit: the next run's partial file stays behind
        assertThat(rows).containsExactly("a", "b");
        store.releaseLockAsACrashWould();

        try (var reopened = StateStore.open(dir, 1 << 20)) {
            assertThat(reopened.snapshotRows()).isEqualTo(1);
            assertThat(reopened.nextOffset(0)).isEqualTo(3);
            assertThat(export(reopened)).containsExactly("a=2", "b=1");
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("changes-2.log", "checkpoint.json", "lock", "snapshot-2.run");
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryWaitsForTheFirstToClose() throws Exception {
        var first = StateStore.open(dir, 1 << 20);
        var opened = new java.util.concurrent.CompletableFuture<StateStore>();
        var thread = new Thread(() -> opened.complete(StateStore.open(dir, 1 << 20)), "second-store");
        thread.start();
        // The positive signal that it waits: the thread sits in the lock's retry pause, which it reaches only after
        // a tryLock that the first store refused.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(5)).alias("the second open reaches the lock wait within 20 s")
                .until(() -> {
                    assertThat(opened).as("the second store opened while the first held the directory").isNotDone();
                    return waitsForTheLock(thread);
                });
        assertThat(opened).isNotDone();
        first.append(0, 0, "a", "1");
        first.close();
        try (var second = opened.get(20, java.util.concurrent.TimeUnit.SECONDS)) {
            assertThat(second.nextOffset(0)).isEqualTo(1);
        }
    }

    private static boolean waitsForTheLock(Thread thread) {
        return thread.getState() == Thread.State.TIMED_WAITING && java.util.Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(StateStore.class.getName()) && frame.getMethodName().equals("lock"));
    }

    @Test
    void matchesAMapModelWhenTheChangesSpillFarBeyondTheSortBudget() {
        var model = new TreeMap<String, String>();
        var random = new Random(42);
        long offset = 0;
        try (var store = StateStore.open(dir, 64 * 1024)) {
            for (int period = 0; period < 3; period++) {
                for (int i = 0; i < 40_000; i++) {
                    String key = "k" + random.nextInt(15_000);
                    String value = random.nextInt(5) == 0 ? null : "{\"v\":" + random.nextInt() + "}";
                    store.append(0, offset++, key, value);
                    if (value == null) {
                        model.remove(key);
                    } else {
                        model.put(key, value);
                    }
                }
                var expected = new ArrayList<String>();
                model.forEach((k, v) -> expected.add(k + "=" + v));
                assertThat(export(store)).isEqualTo(expected);
            }
        }
    }
}
