package org.substra.node.orchestrator.organization;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.substra.node.orchestrator.identity.Caller;
import org.substra.node.orchestrator.protocol.GetAllOrganizationsParam;
import org.substra.node.orchestrator.protocol.GetAllOrganizationsResponse;
import org.substra.node.orchestrator.protocol.Organization;
import org.substra.node.orchestrator.protocol.RegisterOrganizationParam;

/** {@code orchestrator.OrganizationService}. */
@GrpcService
public class OrganizationGrpcService
    implements org.substra.node.orchestrator.protocol.OrganizationService {

  private final OrganizationService organizations;

  OrganizationGrpcService(OrganizationService organizations) {
    this.organizations = organizations;
  }

  @Override
  public Uni<Organization> registerOrganization(RegisterOrganizationParam request) {
    return organizations.register(Caller.current(), request.getAddress());
  }

  @Override
  public Uni<GetAllOrganizationsResponse> getAllOrganizations(GetAllOrganizationsParam request) {
    return organizations
        .all(Caller.current())
        .map(all -> GetAllOrganizationsResponse.newBuilder().addAllOrganizations(all).build());
  }
}
