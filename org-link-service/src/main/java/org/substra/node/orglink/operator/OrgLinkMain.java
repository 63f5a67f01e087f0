package org.substra.node.orglink.operator;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The service, or with {@code check-outgoing [org_id]} the operator's one-shot check (worker-spec
 * §6.4 {@code ./manage.py get_outgoing_organization}): {@code java -jar quarkus-run.jar
 * check-outgoing} inside the pod prints {@code | org_id | org_address | http_status |} and exits.
 */
@QuarkusMain
public class OrgLinkMain {

  public static final String CHECK_OUTGOING = "check-outgoing";

  public static void main(String... args) {
    if (args.length > 0 && CHECK_OUTGOING.equals(args[0])) {
      // The command shares the pod with the running service: no port, no migrations, no
      // scheduled work, and logs on stderr so that stdout is only the table.
      System.setProperty("quarkus.http.host-enabled", "false");
      System.setProperty("quarkus.scheduler.enabled", "false");
      System.setProperty("quarkus.flyway.migrate-at-start", "false");
      System.setProperty("org-link.accounts-sync-enabled", "false");
      System.setProperty("quarkus.log.console.stderr", "true");
      System.setProperty("quarkus.log.level", "WARN");
      System.setProperty("quarkus.banner.enabled", "false");
      Quarkus.run(CheckOutgoingCommand.class, args);
    } else {
      Quarkus.run(args);
    }
  }
}
