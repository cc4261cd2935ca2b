/**
 * The crash harness: Connect workers as separate JVM processes that a test kills with SIGKILL.
 *
 * <ul>
 *   <li>{@link io.onramp.connect.it.crash.KafkaBroker}: the in-JVM broker the workers use, and exact reads
 *       ({@code readCommitted} up to the last stable offsets, {@code written} = end offsets; {@code stable}, the
 *       sum of the last stable offsets, is a cheap signal of commit progress); a test class registers one with
 *       {@code @RegisterExtension static final KafkaBroker broker = KafkaBroker.perClass();}
 *       and it runs from before the first test to after the last;</li>
 *   <li>{@link io.onramp.connect.it.crash.WorkerProcess}: one worker process (start, REST calls, {@code kill()},
 *       {@code close()}), its log under {@code target/crash-workers/<test JVM pid>/};</li>
 *   <li>{@link io.onramp.connect.it.crash.WorkerRuntime}: which Connect the process runs (this build's 4.3.1, or
 *       3.9.1 from its own classpath).</li>
 * </ul>
 * {@code WorkerProcessTest} shows the smallest use.
 */
package io.onramp.connect.it.crash;
