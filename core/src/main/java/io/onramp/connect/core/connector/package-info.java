/** The base classes of Onramp's connectors: one version, one ConfigDef, one validate() for all of them. */
package io.onramp.connect.core.connector;
