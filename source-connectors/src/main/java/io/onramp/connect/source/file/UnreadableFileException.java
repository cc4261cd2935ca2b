package io.onramp.connect.source.file;

/** A file that cannot be read on at all; the message names the file and, where known, the line. */
class UnreadableFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnreadableFileException(String message, Throwable cause) {
        super(message, cause);
    }

    UnreadableFileException(String message) {
        super(message);
    }
}
