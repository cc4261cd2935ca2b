package io.onramp.connect.source.file.read;

import io.onramp.connect.core.schema.AvroSchemaMapper;
import io.onramp.connect.source.file.FileSourceConfig;
import java.nio.file.Path;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * Opens the right reader for the configured format, with the header/trailer rules around it. Built once per
 * task: the contract and the fixed-width layout are read at start, never per file.
 */
public final class FileReaders {

    private final FileSourceConfig config;
    private final Schema contractSchema;
    private final FixedWidthLayout fixedLayout;
    private final HeaderTrailerRules headerTrailer;

    public FileReaders(FileSourceConfig config) {
        this.config = config;
        this.contractSchema = config.contractFile() == null ? null : AvroSchemaMapper.fromContractFile(config.contractFile());
        this.fixedLayout = config.inputFormat() == FileSourceConfig.InputFormat.FIXED ? config.fixedLayout() : null;
        this.headerTrailer = config.headerTrailerRules();
    }

    /** The value schema known before reading: the contract's, or the fixed-width layout's; else null. */
    public Schema knownSchema() {
        return fixedLayout != null ? fixedLayout.schema() : contractSchema;
    }

    public Schema contractSchema() {
        return contractSchema;
    }

    public FileRecordReader open(Path file) {
        FileRecordReader reader = switch (config.inputFormat()) {
            case CSV -> new CsvFileReader(file, config.charset(), config.csvDelimiter(), config.csvQuote(),
                    config.csvHeader(), csvMappers(contractSchema));
            case JSONL -> new JsonLinesFileReader(file, config.charset(), contractSchema);
            case FIXED -> new FixedWidthFileReader(file, config.charset(), fixedLayout, config.fixedRecordLength());
        };
        return headerTrailer.wrap(reader, file);
    }

    /** @throws DataException when the contract cannot describe CSV rows */
    public static CsvRowMapper.Factory csvMappers(Schema contract) {
        return contract == null ? HeaderRowMapper.factory() : ContractRowMapper.factory(contract);
    }
}
