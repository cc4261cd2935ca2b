/** Onramp's single-message transforms: CDC/outbox adapters and the data-product transforms. */
package io.onramp.connect.transforms;
