package org.substra.node.orglink.accounts;

/** An account file line that cannot be read; the message names the file, line and entry. */
public class MalformedAccountEntryException extends Exception {

  public MalformedAccountEntryException(String message) {
    super(message);
  }
}
