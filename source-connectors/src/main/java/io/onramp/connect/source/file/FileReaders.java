package io.onramp.connect.source.file;

import java.nio.file.Path;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/** Opens the right reader for the configured format. */
final class FileReaders {

    private FileReaders() {
    }

    static FileRecordReader open(Path file, FileSourceConfig config, Schema contract) {
        return switch (config.inputFormat()) {
            case CSV -> new CsvFileReader(file, config.charset(), config.csvDelimiter(), config.csvQuote(),
                    config.csvHeader(), csvMappers(contract));
            case JSONL -> new JsonLinesFileReader(file, config.charset(), contract);
        };
    }

    /** @throws DataException when the contract cannot describe CSV rows */
    static CsvRowMapper.Factory csvMappers(Schema contract) {
        return contract == null ? HeaderRowMapper.factory() : ContractRowMapper.factory(contract);
    }
}
