package io.onramp.connect.source.file.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.avro.Schema.Parser;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixedWidthLayoutTest {

    static final String ACCOUNTS = "id:1:6:long, name:7:20:string, balance:27:9:decimal(2)-implied, opened:36:8:date(yyyyMMdd)";

    static final String ACCOUNTS_CONTRACT = """
            {"type": "record", "name": "Account", "fields": [
              {"name": "id", "type": "long", "onramp.fixed.start": 1, "onramp.fixed.length": 6},
              {"name": "name", "type": "string", "onramp.fixed.start": 7, "onramp.fixed.length": 20},
              {"name": "balance", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2},
               "onramp.fixed.start": 27, "onramp.fixed.length": 9, "onramp.fixed.impliedDecimals": 2},
              {"name": "opened", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null,
               "onramp.fixed.start": 36, "onramp.fixed.length": 8, "onramp.fixed.pattern": "yyyyMMdd"}
            ]}""";

    //                       id    name                balance  opened
    static final String LINE = "000042Ada Lovelace        00001234520240131";

    @TempDir
    Path dir;

    @Test
    void buildsAStructSchemaFromTheConfiguredLayout() {
        Schema schema = FixedWidthLayout.parse(ACCOUNTS).schema();

        assertThat(schema.fields()).extracting(f -> f.name()).containsExactly("id", "name", "balance", "opened");
        assertThat(schema.field("id").schema()).isEqualTo(Schema.INT64_SCHEMA);
        assertThat(schema.field("balance").schema()).isEqualTo(Decimal.schema(2));
        assertThat(schema.field("opened").schema()).isEqualTo(Date.SCHEMA);
    }

    @Test
    void cutsTrimsAndTypesEachColumn() {
        Struct value = FixedWidthLayout.parse(ACCOUNTS).toStruct(LINE);

        assertThat(value.getInt64("id")).isEqualTo(42L);
        assertThat(value.getString("name")).isEqualTo("Ada Lovelace");
        assertThat(value.get("balance")).isEqualTo(new BigDecimal("123.45"));
        assertThat(value.get("opened")).isEqualTo(utcMidnight(LocalDate.of(2024, 1, 31)));
    }

    @Test
    void takesPositionsFromContractFieldPropertiesAndTypesFromTheContract() {
        FixedWidthLayout layout = FixedWidthLayout.fromContract(new Parser().parse(ACCOUNTS_CONTRACT));

        Struct value = layout.toStruct(LINE);

        assertThat(value.schema().name()).isEqualTo("Account");
        assertThat(value.get("balance")).isEqualTo(new BigDecimal("123.45"));
        assertThat(value.get("opened")).isEqualTo(utcMidnight(LocalDate.of(2024, 1, 31)));
        assertThat(layout.minRecordLength()).isEqualTo(43);
    }

    @Test
    void readsTheLayoutFromTheContractFileWhenConfigurationGivesNone() throws IOException {
        Path avsc = Files.writeString(dir.resolve("account.avsc"), ACCOUNTS_CONTRACT);

        assertThat(FixedWidthLayout.from("", avsc).toStruct(LINE).getInt64("id")).isEqualTo(42L);
        assertThatThrownBy(() -> FixedWidthLayout.from(ACCOUNTS, avsc)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("both");
        assertThatThrownBy(() -> FixedWidthLayout.from(" ", null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("onramp.fixed.start");
    }

    @Test
    void keepsStringSpacesWithNotrimAndMakesBlankOptionalFieldsNull() {
        var layout = FixedWidthLayout.parse("code:1:4:string:notrim, amount:5:3:int:optional, flag:8:1:boolean");

        Struct value = layout.toStruct(" AB    1");

        assertThat(value.getString("code")).isEqualTo(" AB ");
        assertThat(value.get("amount")).isNull();
        assertThat(value.getBoolean("flag")).isTrue();
    }

    @Test
    void acceptsDatePatternsHoldingColonsAndCommas() {
        var layout = FixedWidthLayout.parse("at:1:19:timestamp(yyyy-MM-dd HH:mm:ss), day:20:11:date(d MMM, yyyy)");

        Struct value = layout.toStruct("2024-03-01 12:30:001 Mar, 2024");

        assertThat(value.get("at")).isEqualTo(java.util.Date.from(Instant.parse("2024-03-01T12:30:00Z")));
        assertThat(value.get("day")).isEqualTo(utcMidnight(LocalDate.of(2024, 3, 1)));
        assertThat(value.schema().field("at").schema()).isEqualTo(Timestamp.SCHEMA);
    }

    @Test
    void readsExplicitDecimalsSignedImpliedDecimalsAndIsoDates() {
        var layout = FixedWidthLayout.parse("a:1:7:decimal(9,2), b:8:6:decimal(3)-implied, c:14:10:date");

        Struct value = layout.toStruct("   12.5-012342024-02-29");

        assertThat(value.get("a")).isEqualTo(new BigDecimal("12.50"));
        assertThat(value.get("b")).isEqualTo(new BigDecimal("-1.234"));
        assertThat(value.get("c")).isEqualTo(utcMidnight(LocalDate.of(2024, 2, 29)));
    }

    @Test
    void rejectsAnImpossibleDateRatherThanMovingItToAValidDay() {
        var layout = FixedWidthLayout.parse("opened:1:8:date(yyyyMMdd)");

        assertThatThrownBy(() -> layout.toStruct("20230229")).isInstanceOf(DataException.class)
                .hasMessage("Field 'opened' is not a valid date of pattern yyyyMMdd (rule type)");
    }

    @Test
    void rejectsAPointInAnImpliedDecimalField() {
        var layout = FixedWidthLayout.parse("amount:1:7:decimal(2)-implied");

        assertThatThrownBy(() -> layout.toStruct("0012.34")).isInstanceOf(DataException.class)
                .hasMessageContaining("'amount'").hasMessageNotContaining("0012.34").hasMessageContaining("implied");
    }

    @Test
    void rejectsOverlappingColumnsNamingBoth() {
        assertThatThrownBy(() -> FixedWidthLayout.parse("a:1:5:string, b:5:3:string"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'a' (characters 1-5)").hasMessageContaining("'b' (characters 5-7)")
                .hasMessageContaining("overlap");
    }

    @Test
    void rejectsAZeroLengthColumn() {
        assertThatThrownBy(() -> FixedWidthLayout.parse("a:1:0:string"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'a'").hasMessageContaining("length");
    }

    @Test
    void rejectsAnUnknownTypeNamingTheColumn() {
        assertThatThrownBy(() -> FixedWidthLayout.parse("a:1:2:string, when:3:8:datetime"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'when'").hasMessageContaining("'datetime'");
    }

    @Test
    void rejectsMalformedEntriesAndOptions() {
        assertThatThrownBy(() -> FixedWidthLayout.parse("a:1:2")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("name:start:length:type");
        assertThatThrownBy(() -> FixedWidthLayout.parse("a:x:2:string")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("start 'x'");
        assertThatThrownBy(() -> FixedWidthLayout.parse("a:1:2:string:nullable")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'nullable'");
        assertThatThrownBy(() -> FixedWidthLayout.parse("a:1:2:string, a:3:2:string")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> FixedWidthLayout.parse("a:1:2:long-implied")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'-implied'");
        assertThatThrownBy(() -> FixedWidthLayout.parse("d:1:8:date(yyyyMMdd]")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'d'");
    }

    @Test
    void rejectsAContractFieldWithoutAPosition() {
        var contract = new Parser().parse("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "id", "type": "long", "onramp.fixed.start": 1, "onramp.fixed.length": 6},
                  {"name": "name", "type": "string", "onramp.fixed.start": 7}
                ]}""");

        assertThatThrownBy(() -> FixedWidthLayout.fromContract(contract)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'name'").hasMessageContaining("onramp.fixed.length");
    }

    @Test
    void rejectsImpliedDecimalsOnAContractIntegerField() {
        var contract = new Parser().parse("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "qty", "type": "int", "onramp.fixed.start": 1, "onramp.fixed.length": 6,
                   "onramp.fixed.impliedDecimals": 2}
                ]}""");

        assertThatThrownBy(() -> FixedWidthLayout.fromContract(contract)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'qty'").hasMessageContaining("implied decimals");
    }

    @Test
    void validatorNamesTheConfigKey() {
        assertThatThrownBy(() -> FixedWidthLayout.validator().ensureValid("fixed.layout", "a:1:2:money"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'fixed.layout'").hasMessageContaining("'money'");
    }

    static java.util.Date utcMidnight(LocalDate day) {
        return new java.util.Date(day.toEpochDay() * 86_400_000L);
    }
}
