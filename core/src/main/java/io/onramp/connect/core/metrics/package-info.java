/**
 * JMX metrics of Onramp's tasks and transforms: {@link io.onramp.connect.core.metrics.MetricSet} holds named
 * counters and gauges and is the MBean; {@link io.onramp.connect.core.metrics.MetricsRegistration} puts it into the
 * platform MBeanServer under a Debezium-style name ({@code io.onramp.connect:type=<kind>-metrics,connector=...,task=...})
 * and takes it out again. No static mutable state: every task or transform instance owns its set.
 */
package io.onramp.connect.core.metrics;
