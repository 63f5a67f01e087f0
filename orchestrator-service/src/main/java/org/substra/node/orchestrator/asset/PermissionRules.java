package org.substra.node.orchestrator.asset;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import org.substra.node.orchestrator.error.ErrorKind;
import org.substra.node.orchestrator.error.OrchestrationException;
import org.substra.node.orchestrator.protocol.NewPermissions;
import org.substra.node.orchestrator.protocol.Permission;
import org.substra.node.orchestrator.protocol.Permissions;

/** The permission model of spec §3.2. */
public final class PermissionRules {

  private PermissionRules() {}

  /**
   * A permission for {@code owner}: public copied, the owner always authorized; a private list may
   * only name organizations of the channel.
   */
  public static Permission create(String owner, NewPermissions input, Set<String> organizations) {
    if (!input.getPublic()) {
      for (String id : input.getAuthorizedIdsList()) {
        if (!organizations.contains(id)) {
          throw new OrchestrationException(
              ErrorKind.BAD_REQUEST, "invalid permission input values");
        }
      }
    }
    Set<String> ids = new LinkedHashSet<>(input.getAuthorizedIdsList());
    ids.add(owner);
    return Permission.newBuilder().setPublic(input.getPublic()).addAllAuthorizedIds(ids).build();
  }

  /** The same permission for processing and downloading: the API cannot tell them apart. */
  public static Permissions createPermissions(
      String owner, NewPermissions input, Set<String> organizations) {
    Permission permission = create(owner, input, organizations);
    return Permissions.newBuilder().setProcess(permission).setDownload(permission).build();
  }

  public static Permission owned(String owner) {
    return Permission.newBuilder().setPublic(false).addAuthorizedIds(owner).build();
  }

  /** Public if either is; a public result carries no ids. */
  public static Permission union(Permission a, Permission b) {
    if (a.getPublic() || b.getPublic()) {
      return Permission.newBuilder().setPublic(true).build();
    }
    Set<String> ids = new LinkedHashSet<>(a.getAuthorizedIdsList());
    ids.addAll(b.getAuthorizedIdsList());
    return Permission.newBuilder()
        .setPublic(false)
        .addAllAuthorizedIds(new ArrayList<>(ids))
        .build();
  }

  public static boolean canProcess(Permissions permissions, String organization) {
    Permission process = permissions.getProcess();
    return process.getPublic() || process.getAuthorizedIdsList().contains(organization);
  }
}
