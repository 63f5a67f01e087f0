package org.substra.node.api.oidc;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class OidcIdentityRepository implements PanacheRepositoryBase<OidcIdentity, Long> {

  public Uni<OidcIdentity> findBySubject(String issuer, String subject) {
    return find("issuer = ?1 and subject = ?2", issuer, subject).firstResult();
  }
}
