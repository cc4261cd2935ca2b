package io.onramp.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A nightly customers export as a legacy CRM would write it, and the spool directories around it. */
final class SampleData {

    private SampleData() {
    }

    /** @return the input directory holding the export */
    static Path writeCustomersExport(Path workDir) throws IOException {
        Path base = workDir.resolve("crm/customers");
        Path incoming = Files.createDirectories(base.resolve("incoming"));
        Files.createDirectories(base.resolve("finished"));
        Files.createDirectories(base.resolve("error"));
        Path partial = incoming.resolve("customers-export.tmp");
        Files.writeString(partial, """
                id,name,email,birth_date,balance,status,signed_up
                1001,Ada Lovelace,ada@example.com,1815-12-10,1250.00,ACTIVE,2019-03-01T09:30:00Z
                1002,"Hopper, Grace",grace@example.com,1906-12-09,80.15,ACTIVE,2020-07-15T14:00:00Z
                1003,Alan Turing,,1912-06-23,0.00,SUSPENDED,2021-01-04T08:00:00Z
                1004,Katherine Johnson,kj@example.com,,-12.40,ACTIVE,2022-11-30T23:59:59Z
                1005,Edsger Dijkstra,ewd@example.com,1930-05-11,310.99,CLOSED,2018-05-11T00:00:00Z
                """);
        // Renamed into place whole, the way exports should land in a spool directory.
        Files.move(partial, incoming.resolve("customers-2026-11-24.csv"));
        return incoming;
    }
}
