package io.onramp.connect.source.file.read;

/** A file that cannot be read on at all; the message names the file and, where known, the line. */
public class UnreadableFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableFileException(String message, Throwable cause) {
        super(message, cause);
    }

    public UnreadableFileException(String message) {
        super(message);
    }
}
