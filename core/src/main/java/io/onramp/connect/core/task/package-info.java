/**
 * What a source task needs to run a poll's long work on a thread of its own: Connect calls a task's poll() and
 * stop() on the same thread, so work done inside poll() holds stop() back until it ends.
 */
package io.onramp.connect.core.task;
