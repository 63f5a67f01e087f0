package org.substra.node.orchestrator.asset;

import java.net.URI;
import java.net.URISyntaxException;

/** The permissive URL test of the reference's addressables: a host, with or without a scheme. */
final class Urls {

  private Urls() {}

  static boolean isUrl(String value) {
    if (value.isEmpty() || value.length() > 2083 || value.startsWith(".") || value.contains(" ")) {
      return false;
    }
    String candidate = value.contains("://") ? value : "http://" + value;
    try {
      URI uri = new URI(candidate);
      return uri.getHost() != null && !uri.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
