package io.onramp.connect.core.contract;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A {@link ConfigDef.Validator} for a contract-directory key: the directory must load and every
 * product in it must satisfy its declared compatibility mode. Connect runs config validators when
 * it validates a connector config (including the configs of the transforms it names), so an
 * incompatible new contract version is reported by {@code PUT /connector-plugins/.../config/validate}
 * and refused at creation, before a record flows.
 */
public final class CompatibleContractsValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null || value.toString().isBlank()) {
            return;
        }
        List<CompatibilityProblem> problems;
        try {
            problems = ContractDirectory.load(Path.of(value.toString())).checkCompatibility();
        } catch (ContractException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(name, value, "Incompatible contract versions: "
                    + problems.stream().map(CompatibilityProblem::describe).collect(Collectors.joining("; ")) + ".");
        }
    }

    @Override
    public String toString() {
        return "a directory of contracts <domain>/<product>/v<N>.avsc whose versions satisfy their compatibility mode";
    }
}
