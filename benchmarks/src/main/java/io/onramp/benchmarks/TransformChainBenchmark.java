package io.onramp.benchmarks;

import io.onramp.connect.transforms.contract.ContractValidate;
import io.onramp.connect.transforms.product.ProductHeaders;
import io.onramp.connect.transforms.product.ProductTopic;
import io.onramp.connect.transforms.protect.FieldProtect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.InsertHeader;
import org.apache.kafka.connect.transforms.MaskField;
import org.apache.kafka.connect.transforms.RegexRouter;
import org.apache.kafka.connect.transforms.Transformation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Onramp's product chain, FieldProtect(mask) + ProductHeaders + ProductTopic, against Kafka's built-ins doing
 * the same work (MaskField + one InsertHeader per governance header + RegexRouter), and ContractValidate alone,
 * on the same 20-field Struct records. Throughput is records per second (one record per operation).
 *
 * <p>Run: {@code java -cp <classpath> org.openjdk.jmh.Main TransformChainBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class TransformChainBenchmark {

    static final String[] MASKED = {"email", "phone", "ssn"};
    /** The headers ProductHeaders writes here; the Kafka chain inserts the same number with InsertHeader. */
    static final String[] HEADERS = {"onramp.product", "onramp.contract.version", "onramp.contract.fingerprint",
        "onramp.owner", "onramp.classification", "onramp.source.system", "onramp.connector", "onramp.capture.ts"};

    private Path contracts;
    private List<SourceRecord> records;
    private int next;
    private List<Transformation<SourceRecord>> onramp;
    private List<Transformation<SourceRecord>> kafka;
    private List<Transformation<SourceRecord>> kafkaOneHeader;
    private ContractValidate<SourceRecord> validate;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        contracts = Files.createTempDirectory("onramp-bench");
        Path dir = Files.createDirectories(contracts.resolve("sales").resolve("orders"));
        Files.writeString(dir.resolve("v1.avsc"), contractJson());
        Schema schema = connectSchema();
        records = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            records.add(new SourceRecord(Map.of("file", "f"), Map.of("line", i), "raw", null,
                    null, null, schema, struct(schema, i), 1_700_000_000_000L + i));
        }
        Map<String, String> contract = Map.of("contract.dir", contracts.toString(), "contract.domain", "sales",
                "contract.product", "orders", "contract.version", "1");

        var protect = new FieldProtect.Value<SourceRecord>();
        protect.configure(Map.of("fields", "email:mask,phone:mask,ssn:mask", "mask.replacement", "****"));
        var headersConfig = new HashMap<>(contract);
        headersConfig.put("source.system", "bench");
        headersConfig.put("connector.name", "bench-connector");
        var headers = new ProductHeaders<SourceRecord>();
        headers.configure(headersConfig);
        var topic = new ProductTopic<SourceRecord>();
        topic.configure(contract);
        onramp = List.of(protect, headers, topic);

        kafka = kafkaChain(HEADERS.length);
        kafkaOneHeader = kafkaChain(1);

        validate = new ContractValidate<>();
        validate.configure(contract);
    }

    private static List<Transformation<SourceRecord>> kafkaChain(int headers) {
        var chain = new ArrayList<Transformation<SourceRecord>>();
        var mask = new MaskField.Value<SourceRecord>();
        mask.configure(Map.of("fields", String.join(",", MASKED), "replacement", "****"));
        chain.add(mask);
        for (int i = 0; i < headers; i++) {
            var insert = new InsertHeader<SourceRecord>();
            insert.configure(Map.of("header", HEADERS[i], "value.literal", "value-" + i));
            chain.add(insert);
        }
        var router = new RegexRouter<SourceRecord>();
        router.configure(Map.of("regex", ".*", "replacement", "sales.orders.v1"));
        chain.add(router);
        return chain;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(contracts)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private SourceRecord nextRecord() {
        SourceRecord r = records.get(next);
        next = (next + 1) & 1023;
        return r;
    }

    private static SourceRecord run(List<Transformation<SourceRecord>> chain, SourceRecord record) {
        SourceRecord r = record;
        for (Transformation<SourceRecord> t : chain) {
            r = t.apply(r);
        }
        return r;
    }

    @Benchmark
    public SourceRecord onrampChain() {
        return run(onramp, nextRecord());
    }

    @Benchmark
    public SourceRecord kafkaChain() {
        return run(kafka, nextRecord());
    }

    @Benchmark
    public SourceRecord kafkaChainOneHeader() {
        return run(kafkaOneHeader, nextRecord());
    }

    /** Component view: the masking step alone, Onramp's. */
    @Benchmark
    public SourceRecord onrampMaskOnly() {
        return onramp.get(0).apply(nextRecord());
    }

    /** Component view: the masking step alone, Kafka's. */
    @Benchmark
    public SourceRecord kafkaMaskOnly() {
        return kafka.get(0).apply(nextRecord());
    }

    @Benchmark
    public SourceRecord contractValidate() {
        return validate.apply(nextRecord());
    }

    static Schema connectSchema() {
        SchemaBuilder b = SchemaBuilder.struct().name("com.example.sales.Order");
        b.field("id", Schema.INT64_SCHEMA);
        for (String s : new String[] {"email", "phone", "ssn", "name", "street", "city", "zip", "country", "status", "sku"}) {
            b.field(s, Schema.STRING_SCHEMA);
        }
        for (String s : new String[] {"qty", "age", "store", "lane", "priority"}) {
            b.field(s, Schema.INT32_SCHEMA);
        }
        b.field("amount", Schema.FLOAT64_SCHEMA).field("discount", Schema.FLOAT64_SCHEMA);
        b.field("vip", Schema.BOOLEAN_SCHEMA).field("placed_at", Schema.INT64_SCHEMA);
        return b.build();
    }

    static Struct struct(Schema schema, int i) {
        return new Struct(schema).put("id", (long) i).put("email", "user" + i + "@example.com")
                .put("phone", "+44 20 7946 " + (1000 + i)).put("ssn", "123-45-" + (1000 + i)).put("name", "Customer " + i)
                .put("street", i + " High Street").put("city", "London").put("zip", "SW1A 1AA").put("country", "GB")
                .put("status", i % 2 == 0 ? "NEW" : "PAID").put("sku", "SKU-" + (i % 50))
                .put("qty", 1 + i % 9).put("age", 18 + i % 60).put("store", i % 12).put("lane", i % 4).put("priority", i % 3)
                .put("amount", 10.0 + i).put("discount", 0.1).put("vip", i % 7 == 0).put("placed_at", 1_700_000_000_000L + i);
    }

    static String contractJson() {
        var fields = new ArrayList<String>();
        fields.add("{\"name\":\"id\",\"type\":\"long\"}");
        fields.add("{\"name\":\"email\",\"type\":\"string\",\"onramp.classification\":\"pii\","
                + "\"onramp.rules\":{\"required\":true,\"pattern\":\"[^@]+@[^@]+\",\"maxLength\":254}}");
        fields.add("{\"name\":\"phone\",\"type\":\"string\",\"onramp.classification\":\"pii\",\"onramp.rules\":{\"maxLength\":32}}");
        fields.add("{\"name\":\"ssn\",\"type\":\"string\",\"onramp.classification\":\"pii\","
                + "\"onramp.rules\":{\"pattern\":\"\\\\d{3}-\\\\d{2}-\\\\d{4}\"}}");
        for (String s : new String[] {"name", "street", "city", "zip", "country", "sku"}) {
            fields.add("{\"name\":\"" + s + "\",\"type\":\"string\"}");
        }
        fields.add("{\"name\":\"status\",\"type\":\"string\",\"onramp.rules\":{\"enum\":[\"NEW\",\"PAID\"]}}");
        fields.add("{\"name\":\"qty\",\"type\":\"int\",\"onramp.rules\":{\"min\":1,\"max\":1000}}");
        fields.add("{\"name\":\"age\",\"type\":\"int\",\"onramp.rules\":{\"min\":0,\"max\":150}}");
        for (String s : new String[] {"store", "lane", "priority"}) {
            fields.add("{\"name\":\"" + s + "\",\"type\":\"int\"}");
        }
        fields.add("{\"name\":\"amount\",\"type\":\"double\",\"onramp.rules\":{\"min\":0}}");
        fields.add("{\"name\":\"discount\",\"type\":\"double\"}");
        fields.add("{\"name\":\"vip\",\"type\":\"boolean\"}");
        fields.add("{\"name\":\"placed_at\",\"type\":\"long\"}");
        return "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"com.example.sales\",\"onramp.owner\":\"sales\","
                + "\"fields\":[" + String.join(",", fields) + "]}";
    }
}
