package io.onramp.connect.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotArchiveTest {

    @TempDir
    Path dir;

    @Test
    void hasNoCurrentSnapshotBeforeTheFirst() {
        assertThat(new SnapshotArchive(dir, "t").current()).isNull();
    }

    @Test
    void promotingASnapshotMakesItCurrentAndDeletesTheRunItReplaces() throws IOException {
        var archive = new SnapshotArchive(dir, "t");
        Path first = Files.writeString(archive.runOf("d1.csv"), "run1");
        archive.promote("d1.csv", 10, 1, "k1", first);
        Path second = Files.writeString(archive.runOf("d2.csv"), "run2");

        archive.promote("d2.csv", 10, 1, "k2", second);

        var current = new SnapshotArchive(dir, "t").current();
        assertThat(current.snapshotFile()).isEqualTo("d2.csv");
        assertThat(current.orderKey()).isEqualTo("k2");
        assertThat(current.run()).isEqualTo(second);
        assertThat(first).doesNotExist();
        assertThat(dir.resolve("t.snapshot.properties.partial")).doesNotExist();
    }

    @Test
    void tablesDoNotShareState() throws IOException {
        var customers = new SnapshotArchive(dir, "customers");
        customers.promote("d1.csv", 10, 1, "k1", Files.writeString(customers.runOf("d1.csv"), "x"));

        assertThat(new SnapshotArchive(dir, "orders").current()).isNull();
    }

    @Test
    void anEmptyPointerIsAnErrorNamingTheFileAndWhatTheOperatorCanDo() throws IOException {
        Path pointer = Files.writeString(dir.resolve("t.snapshot.properties"), ""); // what a power loss can leave

        assertThatThrownBy(() -> new SnapshotArchive(dir, "t").current()).isInstanceOf(ConnectException.class)
                .hasMessageContaining(pointer.toString()).hasMessageContaining("it is empty")
                .hasMessageContaining("Restore the file from a backup, or delete it");
    }

    @Test
    void aPointerWithoutItsRunIsAnErrorNamingWhatItLacks() throws IOException {
        Files.writeString(dir.resolve("t.snapshot.properties"), "snapshot=d1.csv\norder=d1.csv\n");

        assertThatThrownBy(() -> new SnapshotArchive(dir, "t").current()).isInstanceOf(ConnectException.class)
                .hasMessageContaining("t.snapshot.properties").hasMessageContaining("it lacks 'run'");
    }

    @Test
    void aBrokenPointerStopsTheCleanUpBeforeItRemovesAnything() throws IOException {
        var archive = new SnapshotArchive(dir, "t");
        Path run = Files.writeString(archive.runOf("d1.csv"), "run1"); // the current run, which the pointer named
        Files.writeString(dir.resolve("t.snapshot.properties"), "");

        assertThatThrownBy(() -> archive.removeLeftovers(name -> name.endsWith(".csv"))).isInstanceOf(ConnectException.class)
                .hasMessageContaining("t.snapshot.properties");
        assertThat(run).exists();
    }

    @Test
    void leftoversOfAKilledAttemptAreRemovedAlsoForADumpWhoseNameHoldsDotRun() throws IOException {
        String table = SnapshotArchive.nameOf("conn", "customers");
        var archive = new SnapshotArchive(dir, table);
        Path applied = Files.writeString(archive.runOf("daily.run.2024.csv"), "run");
        archive.promote("daily.run.2024.csv", 10, 1, "k1", applied);
        var leftovers = new java.util.ArrayList<Path>();
        for (String dump : List.of("daily.run.2025.csv", "daily.run.2024.csv", "d1.csv")) {
            Path run = archive.runOf(dump);
            // Named as SortedRunFile (the run being written), ExternalSorter (spills) and the events spool name them.
            leftovers.add(Files.createTempFile(dir, run.getFileName().toString(), ".partial"));
            leftovers.add(Files.createTempFile(dir, SnapshotArchive.spillPrefixOf(run), ".run"));
            leftovers.add(Files.writeString(SnapshotArchive.eventsOf(run), "events"));
            leftovers.add(SnapshotArchive.newEventsOf(run)); // a diff's second key range
            if (!run.equals(applied)) {
                leftovers.add(Files.writeString(run, "unpromoted"));
            }
        }
        List<Path> others = List.of(Files.writeString(dir.resolve("other.daily.run.2025.csv.run"), "x"),
                Files.writeString(dir.resolve(table + ".notes.txt.run"), "not a dump"),
                Files.writeString(dir.resolve(table + ".daily.run.2025.csv.backup"), "not ours"));

        archive.removeLeftovers(name -> name.endsWith(".csv"));

        leftovers.forEach(file -> assertThat(file).as(file.getFileName().toString()).doesNotExist());
        assertThat(applied).as("the applied run").exists();
        assertThat(archive.current().run()).isEqualTo(applied);
        others.forEach(file -> assertThat(file).as(file.getFileName().toString()).exists());
    }

    @Test
    void thePointerIsWrittenWholeAndNothingIsLeftBeside() throws IOException {
        var archive = new SnapshotArchive(dir, "t");
        Path run = Files.writeString(archive.runOf("d1.csv"), "run1");

        archive.promote("d1.csv", 10, 1, "k1", run);

        assertThat(Files.readString(dir.resolve("t.snapshot.properties"))).contains("snapshot=d1.csv", "order=k1",
                "run=t.d1.csv.run", "size=10", "modified=1");
        try (var files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted().toList())
                    .containsExactly("t.d1.csv.run", "t.snapshot.properties");
        }
    }

    @Test
    void theArchiveNameHoldsConnectorAndTableReadablyAndAHashOfTheExactNames() {
        // CRC-32 of "conn\ncrm.customers" (UTF-8), computed with Python's zlib.crc32.
        assertThat(SnapshotArchive.nameOf("conn", "crm.customers")).isEqualTo("conn_crm_customers-8e4e59ad");
        assertThat(SnapshotArchive.nameOf("a", "b_c")).as("'_' written as such, told apart by the hash")
                .isNotEqualTo(SnapshotArchive.nameOf("a_b", "c"));
    }

    @Test
    void anArchiveUnderTheTableNameAloneIsTakenOverWithItsRunAndTheOldPointerRemoved() throws IOException {
        Path run = legacyArchiveWithD1();
        var archive = new SnapshotArchive(dir, SnapshotArchive.nameOf("conn", "customers"));

        assertThat(archive.adopt("customers")).isTrue();

        var current = archive.current();
        assertThat(List.of(current.snapshotFile(), current.orderKey(), current.size(), current.modifiedMs()))
                .containsExactly("d1.csv", "k1", 10L, 1L);
        assertThat(current.run()).isEqualTo(run);
        assertThat(dir.resolve("customers.snapshot.properties")).doesNotExist();
        assertThat(archive.adopt("customers")).as("once only").isFalse();
    }

    @Test
    void aTakeoverCutShortBeforeTheOldPointerWasRemovedIsFinishedOnTheNextStart() throws IOException {
        Path run = legacyArchiveWithD1();
        Path legacyPointer = dir.resolve("customers.snapshot.properties");
        String name = SnapshotArchive.nameOf("conn", "customers");
        Files.copy(legacyPointer, dir.resolve(name + ".snapshot.properties")); // copied; the worker died before the removal

        assertThat(new SnapshotArchive(dir, name).adopt("customers")).isFalse();

        assertThat(legacyPointer).doesNotExist();
        assertThat(new SnapshotArchive(dir, name).current().run()).isEqualTo(run);
    }

    @Test
    void anotherConnectorsArchiveIsNotTakenOverWhenThisOneHasItsOwn() throws IOException {
        Path oldRun = legacyArchiveWithD1();
        var archive = new SnapshotArchive(dir, SnapshotArchive.nameOf("conn", "customers"));
        Path ownRun = Files.writeString(archive.runOf("d5.csv"), "run5");
        archive.promote("d5.csv", 10, 1, "k5", ownRun);

        assertThat(archive.adopt("customers")).isFalse();

        assertThat(archive.current().run()).isEqualTo(ownRun);
        assertThat(dir.resolve("customers.snapshot.properties")).as("left alone").exists();
    }

    @Test
    void ofTwoConnectorsStartingAtOnceOnOneOldArchiveExactlyOneTakesItOverAndTheOtherStartsAfresh() throws Exception {
        for (int round = 0; round < 30; round++) {
            Path shared = Files.createDirectory(dir.resolve("round" + round));
            var legacy = new SnapshotArchive(shared, "customers");
            Path run = Files.writeString(legacy.runOf("d1.csv"), "run1");
            legacy.promote("d1.csv", 10, 1, "k1", run);
            var a = new SnapshotArchive(shared, SnapshotArchive.nameOf("conn-a", "customers"));
            var b = new SnapshotArchive(shared, SnapshotArchive.nameOf("conn-b", "customers"));
            var bothReady = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<Boolean> tookA = threads.submit(() -> {
                    bothReady.await(10, TimeUnit.SECONDS);
                    return a.adopt("customers");
                });
                Future<Boolean> tookB = threads.submit(() -> {
                    bothReady.await(10, TimeUnit.SECONDS);
                    return b.adopt("customers");
                });
                boolean aTook = tookA.get(20, TimeUnit.SECONDS);
                boolean bTook = tookB.get(20, TimeUnit.SECONDS);

                assertThat(aTook ^ bTook).as("exactly one takes it over, round %d: a %s, b %s", round, aTook, bTook).isTrue();
                assertThat((aTook ? a : b).current().run()).isEqualTo(run);
                assertThat((aTook ? b : a).current()).as("the other starts afresh").isNull();
                assertThat(shared.resolve("customers.snapshot.properties")).doesNotExist();
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void oneTakesOverAndTheOtherFindsNoOldArchiveLeftWhenTheyStartOneAfterTheOther() throws IOException {
        Path run = legacyArchiveWithD1();
        var a = new SnapshotArchive(dir, SnapshotArchive.nameOf("conn-a", "customers"));
        var b = new SnapshotArchive(dir, SnapshotArchive.nameOf("conn-b", "customers"));

        assertThat(a.adopt("customers")).isTrue();
        assertThat(b.adopt("customers")).isFalse();

        assertThat(a.current().run()).isEqualTo(run);
        assertThat(b.current()).isNull();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).as("nothing half-done beside")
                    .containsExactly(SnapshotArchive.nameOf("conn-a", "customers") + ".snapshot.properties", "customers.d1.csv.run");
        }
    }

    @Test
    void aRunAnotherConnectorsPointerStillNamesIsNotDeletedWhenThisOneMovesOn() throws IOException {
        // The copy-then-remove takeover of the version before: conn-a copied the old pointer and was killed before
        // it removed it, so conn-b took it over too; both now name the old run.
        Path shared = legacyArchiveWithD1();
        String nameA = SnapshotArchive.nameOf("conn-a", "customers");
        Files.copy(dir.resolve("customers.snapshot.properties"), dir.resolve(nameA + ".snapshot.properties"));
        var a = new SnapshotArchive(dir, nameA);
        var b = new SnapshotArchive(dir, SnapshotArchive.nameOf("conn-b", "customers"));
        assertThat(b.adopt("customers")).isTrue();
        assertThat(a.adopt("customers")).isFalse();

        a.promote("d2.csv", 10, 2, "k2", Files.writeString(a.runOf("d2.csv"), "run2"));

        assertThat(shared).as("still b's current run").exists();
        assertThat(b.current().run()).isEqualTo(shared);

        Path nextOfB = Files.writeString(b.runOf("e2.csv"), "run2");
        b.promote("e2.csv", 10, 2, "k2", nextOfB);

        assertThat(shared).as("named by no pointer any more, so deleted").doesNotExist();
        assertThat(a.current().run()).isEqualTo(a.runOf("d2.csv"));
        assertThat(a.runOf("d2.csv")).exists();
    }

    /** An archive of table "customers" under its table name alone (as 0.1.0 named it), d1.csv promoted; its run. */
    private Path legacyArchiveWithD1() throws IOException {
        var legacy = new SnapshotArchive(dir, "customers");
        Path run = Files.writeString(legacy.runOf("d1.csv"), "run1");
        legacy.promote("d1.csv", 10, 1, "k1", run);
        return run;
    }

}
