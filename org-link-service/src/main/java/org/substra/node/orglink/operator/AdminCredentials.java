package org.substra.node.orglink.operator;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Base64;
import java.util.UUID;
import javax.sql.DataSource;
import org.substra.node.orglink.accounts.UserAccountRepository;

/**
 * Checks {@code Authorization: Basic} against the node's ADMIN users (api-service's {@code
 * api.users}, the same accounts the operator syncs): the operator endpoints reveal the network's
 * layout, so they are not anonymous.
 */
@ApplicationScoped
public class AdminCredentials {

  // Compared against when the user does not exist, so both paths cost one bcrypt check.
  private static final String NO_USER_HASH = BcryptUtil.bcryptHash(UUID.randomUUID().toString());

  private final DataSource dataSource;
  private final UserAccountRepository users;

  AdminCredentials(DataSource dataSource, UserAccountRepository users) {
    this.dataSource = dataSource;
    this.users = users;
  }

  public boolean accepts(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String hash;
    try (Connection connection = dataSource.getConnection()) {
      hash = users.adminPasswordHash(connection, decoded.substring(0, colon));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the node's users", e);
    }
    boolean matches =
        BcryptUtil.matches(decoded.substring(colon + 1), hash == null ? NO_USER_HASH : hash);
    return matches && hash != null;
  }
}
