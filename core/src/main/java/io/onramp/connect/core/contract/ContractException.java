package io.onramp.connect.core.contract;

/** A contract file or directory that cannot be read or does not follow the contract conventions. */
public class ContractException extends RuntimeException {

    public ContractException(String message) {
        super(message);
    }

    public ContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
