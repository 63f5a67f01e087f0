package org.substra.node.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks that credentials stay in Secrets: no ConfigMap key names a credential, and no credential
 * held by a Secret of the release shows up in a ConfigMap value. User names are not credentials
 * (the dependencies' default user names equal their default passwords, so they are left out).
 */
final class SecretsInConfigMaps {

  private static final Pattern CREDENTIAL_KEY =
      Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY|TOKEN).*");

  private SecretsInConfigMaps() {}

  /**
   * @param partial also flag a ConfigMap value that merely contains a credential; only meaningful
   *     when the credentials are distinctive (the defaults' "postgres" is part of a host name)
   */
  static void assertNone(Manifests manifests, boolean partial) {
    List<String> credentials = new ArrayList<>();
    for (Map<String, Object> secret : manifests.ofKind("Secret")) {
      Manifests.map(secret, "data")
          .values()
          .forEach(v -> credentials.addAll(fields(Base64.getDecoder().decode(String.valueOf(v)))));
      Manifests.map(secret, "stringData")
          .values()
          .forEach(v -> credentials.addAll(fields(String.valueOf(v).getBytes())));
    }
    List<String> leaks = new ArrayList<>();
    for (Map<String, Object> configMap : manifests.ofKind("ConfigMap")) {
      String name = String.valueOf(Manifests.get(configMap, "metadata.name"));
      Manifests.map(configMap, "data")
          .forEach(
              (key, value) -> {
                if (CREDENTIAL_KEY.matcher(key).matches()) {
                  leaks.add(name + "/" + key + " (credential name)");
                } else if (!key.endsWith("USERNAME")
                    && credentials.stream()
                        .anyMatch(
                            c ->
                                partial
                                    ? String.valueOf(value).contains(c)
                                    : String.valueOf(value).equals(c))) {
                  leaks.add(name + "/" + key);
                }
              });
    }
    assertThat(leaks).as("ConfigMap entries holding a credential").isEmpty();
  }

  /** The words of a Secret value (an account line holds a name, a secret and a channel). */
  private static List<String> fields(byte[] value) {
    List<String> fields = new ArrayList<>();
    for (String field : new String(value).split("\\s+")) {
      // shorter words are names and channels as often as secrets
      if (field.length() >= 6) {
        fields.add(field);
      }
    }
    return fields;
  }
}
