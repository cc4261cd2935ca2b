/** Onramp's sink connectors (JDBC upsert, snapshot export, HTTP): they arrive with their issues. */
package io.onramp.connect.sink;
