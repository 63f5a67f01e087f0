package org.substra.node.compute.chainkeys;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** The thin API layer of chainkeys: the Secrets of a plan tag, and emptying one. */
public class ChainkeySecrets {

  static final String PLAN_LABEL = "compute_plan";

  private final KubernetesClient client;
  private final String namespace;

  public ChainkeySecrets(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }

  /** The Secrets labelled {@code compute_plan=<tag>}. */
  public List<Secret> list(String planTag) {
    return client.secrets().inNamespace(namespace).withLabel(PLAN_LABEL, planTag).list().getItems();
  }

  /**
   * Replaces the Secret by one of the same name and labels without data, so that its key is used
   * once (upstream replaces it the same way).
   */
  public void empty(Secret secret) {
    Secret emptied =
        new SecretBuilder()
            .withNewMetadata()
            .withName(secret.getMetadata().getName())
            .withNamespace(namespace)
            .withLabels(secret.getMetadata().getLabels())
            .withResourceVersion(secret.getMetadata().getResourceVersion())
            .endMetadata()
            .build();
    client.secrets().inNamespace(namespace).resource(emptied).update();
  }
}
