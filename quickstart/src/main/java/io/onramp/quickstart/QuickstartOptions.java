package io.onramp.quickstart;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Command-line options: {@code --rest-port N} (default 8083) and {@code --work-dir DIR} (default a new temp dir). */
record QuickstartOptions(int restPort, Path workDir) {

    static QuickstartOptions parse(String[] args) {
        int restPort = 8083;
        Path workDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rest-port" -> restPort = Integer.parseInt(value(args, ++i, "--rest-port"));
                case "--work-dir" -> workDir = Paths.get(value(args, ++i, "--work-dir"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: java -jar onramp-quickstart.jar [--rest-port 8083] [--work-dir DIR]");
            }
        }
        return new QuickstartOptions(restPort, workDir);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
