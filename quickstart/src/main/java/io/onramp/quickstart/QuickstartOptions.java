package io.onramp.quickstart;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Command-line options: {@code --rest-port N} (default 8083), {@code --kafka-port N} (default 9092) and
 * {@code --work-dir DIR} (default a new temp dir).
 */
record QuickstartOptions(int restPort, int kafkaPort, Path workDir) {

    static final int DEFAULT_KAFKA_PORT = 9092;
    static final String USAGE = "usage: java -jar onramp-quickstart.jar [--rest-port 8083] [--kafka-port 9092] [--work-dir DIR]";

    static QuickstartOptions parse(String[] args) {
        int restPort = 8083;
        int kafkaPort = DEFAULT_KAFKA_PORT;
        Path workDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rest-port" -> restPort = port(value(args, ++i, "--rest-port"), "--rest-port");
                case "--kafka-port" -> kafkaPort = port(value(args, ++i, "--kafka-port"), "--kafka-port");
                case "--work-dir" -> workDir = Paths.get(value(args, ++i, "--work-dir"));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
            }
        }
        return new QuickstartOptions(restPort, kafkaPort, workDir);
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a port number from 1 to 65535, not '" + text + "'; " + USAGE);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value; " + USAGE);
        }
        return args[index];
    }
}
