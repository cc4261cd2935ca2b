package io.onramp.connect.source.file.read;

import io.onramp.connect.source.file.FileSourceConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens input files so that bytes invalid in the configured charset are reported, never replaced by '?'. */
public final class InputDecoding {

    private InputDecoding() {
    }

    static Reader open(Path file, Charset charset) {
        try {
            var decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            return new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 64 * 1024);
        } catch (IOException e) {
            throw new UnreadableFileException("cannot open " + file.getFileName() + ": " + e, e);
        }
    }

    /** Turns an I/O failure while reading into the reason a person needs. */
    static UnreadableFileException failure(Path file, long nearLine, Throwable e, Charset charset) {
        Throwable cause = e.getCause() != null && !(e instanceof CharacterCodingException) ? e.getCause() : e;
        if (cause instanceof CharacterCodingException || e instanceof CharacterCodingException) {
            return new UnreadableFileException(file.getFileName() + " near line " + nearLine
                    + ": bytes that are not valid " + charset.name() + " (check '" + FileSourceConfig.INPUT_CHARSET + "')", e);
        }
        return new UnreadableFileException(file.getFileName() + " near line " + nearLine + ": " + cause, e);
    }
}
