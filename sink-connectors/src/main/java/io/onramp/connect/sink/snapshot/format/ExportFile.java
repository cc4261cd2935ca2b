package io.onramp.connect.sink.snapshot.format;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file written under a hidden temporary name beside its target, hashed (SHA-256) and counted as it is written,
 * then fsynced and renamed into place in one atomic step: a reader of the directory sees the previous file or the
 * complete new one, never a part.
 *
 * <p>The temporary name {@code .<name>~<owner>.partial} carries its writer (the connector), so that a writer
 * starting after a crash removes its own leftovers ({@link #removeLeftovers}) and never another connector's file in
 * progress in a shared directory.
 */
public final class ExportFile implements Closeable {

    private static final int BUFFER = 256 * 1024;

    private final Path target;
    private final Path partial;
    private final FileOutputStream file;
    private final MessageDigest digest;
    private final OutputStream out;
    private long bytes;
    private boolean done;

    private static final String PARTIAL = ".partial";

    private ExportFile(Path target, String owner) throws IOException {
        this.target = target;
        this.partial = target.resolveSibling("." + target.getFileName() + "~" + checkOwner(owner) + PARTIAL);
        this.file = new FileOutputStream(partial.toFile());
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
        this.out = new BufferedOutputStream(new FilterOutputStream(file) {
            @Override
            public void write(int b) throws IOException {
                file.write(b);
                digest.update((byte) b);
                bytes++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                file.write(b, off, len);
                digest.update(b, off, len);
                bytes += len;
            }
        }, BUFFER);
    }

    /**
     * Starts writing {@code dir/name} for {@code owner} (letters, digits, '.', '_', '-'); an older file of that name
     * stays in place until {@link #publish}.
     */
    public static ExportFile create(Path dir, String name, String owner) {
        try {
            return new ExportFile(dir.resolve(name), owner);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create export file " + dir.resolve(name), e);
        }
    }

    /** Where to write the content; buffered. Closing it is not needed (and does not publish). */
    public OutputStream stream() {
        return out;
    }

    /** Writes a small file (a manifest, a marker) atomically in one go. */
    public static Published writeWhole(Path dir, String name, String owner, byte[] content) {
        try (var file = create(dir, name, owner)) {
            file.stream().write(content);
            return file.publish();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dir.resolve(name), e);
        }
    }

    /** Flushes, fsyncs and renames the file into place; returns its size and SHA-256. */
    public Published publish() {
        try {
            out.flush();
            file.getChannel().force(true);
            file.close();
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            syncDirectory(target.toAbsolutePath().getParent());
            return new Published(target, bytes, HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot publish export file " + target, e);
        }
    }

    /** Aborts when not published: the temporary file is removed, the target is untouched. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            try {
                file.close();
            } catch (IOException ignored) {
                // aborting either way
            }
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover hidden .partial file is harmless; the owner's next start removes it
            }
        }
    }

    /**
     * Deletes the temporary files {@code owner} left in {@code dir} when it died while writing (a crash, a kill):
     * call it only while no writer of that owner runs. Returns how many were removed.
     */
    public static int removeLeftovers(Path dir, String owner) {
        String suffix = "~" + checkOwner(owner) + PARTIAL;
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(suffix))) {
            for (Path leftover : leftovers) {
                if (Files.deleteIfExists(leftover)) {
                    removed++;
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the temporary export files left in " + dir, e);
        }
        return removed;
    }

    /** An owner holds no '~' and no path separator, so that one owner's suffix never ends another's. */
    private static String checkOwner(String owner) {
        if (owner.isEmpty() || !owner.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("An export file owner is made of letters, digits, '.', '_' and '-': " + owner);
        }
        return owner;
    }

    static void syncDirectory(Path dir) {
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform lets a directory be fsynced; the rename is then as durable as it makes it.
        }
    }

    /** A file in place: where, how many bytes, and the lower-case hex SHA-256 of those bytes. */
    public record Published(Path path, long bytes, String sha256) {
    }
}
