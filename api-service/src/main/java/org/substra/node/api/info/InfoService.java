package org.substra.node.api.info;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.substra.node.api.auth.AuthenticatedUser;
import org.substra.node.api.config.ApiConfig;
import org.substra.node.api.orchestrator.Orchestrator;

/** The node's description, with the orchestrator's version asked on every call (§4.1). */
@ApplicationScoped
public class InfoService {

  private final ApiConfig config;
  private final Orchestrator orchestrator;

  InfoService(ApiConfig config, Orchestrator orchestrator) {
    this.config = config;
    this.orchestrator = orchestrator;
  }

  public Uni<Map<String, Object>> describe(AuthenticatedUser user) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("host", config.host());
    info.put("organization_id", config.organizationId());
    info.put("organization_name", config.organizationName());
    if (user == null || user.channel() == null) {
      info.put("config", Map.of());
      info.put("auth", auth());
      if (user != null) {
        info.put("user", user.username());
      }
      return Uni.createFrom().item(info);
    }
    ApiConfig.Channel channel = config.channels().get(user.channel());
    info.put(
        "config", Map.of("model_export_enabled", channel != null && channel.modelExportEnabled()));
    info.put("auth", auth());
    info.put("channel", user.channel());
    info.put("version", config.version());
    return orchestrator
        .version(user.channel())
        .map(
            version -> {
              info.put("orchestrator_version", version);
              info.put("user", user.username());
              info.put("user_role", user.role());
              return info;
            });
  }

  /** How the web frontend may log in besides username and password: OIDC when enabled (§2.7). */
  private Map<String, Object> auth() {
    ApiConfig.Oidc oidc = config.oidc();
    if (!oidc.enabled()) {
      return Map.of();
    }
    String name =
        oidc.displayName().orElseGet(() -> oidc.providerUrl().map(Object::toString).orElse("OIDC"));
    String host = config.host().endsWith("/") ? config.host() : config.host() + "/";
    Map<String, Object> provider = new LinkedHashMap<>();
    provider.put("name", name);
    provider.put("login_url", host + "oidc/authenticate/");
    return Map.of("oidc", provider);
  }
}
