package org.substra.node.api.datasample;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.registration.RequestJson;

/** Registrations of data samples (REST spec §4.5): uploads, server folders, links. */
@Path("/data_sample/")
@Produces(MediaType.APPLICATION_JSON)
public class DataSampleRegistrationResource {

  private final DataSampleRegistration registration;
  private final CurrentUser current;

  DataSampleRegistrationResource(DataSampleRegistration registration, CurrentUser current) {
    this.registration = registration;
    this.current = current;
  }

  /**
   * Part names are the samples' folder names, so every file part is a sample, in order. The body is
   * read as it arrives (no multipart handling by RESTEasy), so that files stream to storage.
   */
  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public RestResponse<List<Map<String, Object>>> upload(
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
      InputStream body) {
    return RestResponse.status(
        RestResponse.Status.CREATED,
        registration.upload(
            current.channel(), contentType, contentLength == null ? -1 : contentLength, body));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public RestResponse<List<Map<String, Object>>> fromServer(String body) {
    return RestResponse.status(
        RestResponse.Status.CREATED, registration.fromServer(current.channel(), body));
  }

  /** The SDK sends a form with repeated keys; the reference also takes JSON. */
  @POST
  @Path("bulk_update/")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Map<String, Object> linkForm(
      @RestForm("data_manager_keys") List<String> managers,
      @RestForm("data_sample_keys") List<String> samples) {
    registration.link(current.channel(), managers, samples);
    return Map.of();
  }

  @POST
  @Path("bulk_update/")
  @Consumes(MediaType.APPLICATION_JSON)
  public Map<String, Object> linkJson(String body) {
    RequestJson request = RequestJson.parse(body, "the request body");
    registration.link(
        current.channel(),
        request.strings("data_manager_keys"),
        request.strings("data_sample_keys"));
    return Map.of();
  }
}
