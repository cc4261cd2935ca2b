package io.onramp.connect.it;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a customers CSV with ids 1..rows, written under a temporary name and renamed, so it appears whole. */
public final class LargeCsv {

    private LargeCsv() {
    }

    public static void write(Path file, int rows) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (BufferedWriter out = Files.newBufferedWriter(partial)) {
            out.write("id,name,email,birth_date,balance,status,signed_up\n");
            for (int i = 1; i <= rows; i++) {
                out.write(i + ",Customer " + i + ",c" + i + "@example.com,1980-01-01," + (i % 1000) + ".25,ACTIVE,2024-01-01T00:00:00Z\n");
            }
        }
        Files.move(partial, file);
    }
}
