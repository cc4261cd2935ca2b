package io.onramp.connect.source.outbox;

/** The attributes of an outbox source task's JMX metrics ({@link OutboxSourceMetrics}). */
public interface OutboxSourceMXBean {
    long getRowsDelivered();

    long getRowsDeleted();

    long getGapsProvedEmpty();

    long getGapsGivenUp();

    long getIdsGivenUp();

    long getInvalidDropped();

    long getInvalidQuarantined();
}
