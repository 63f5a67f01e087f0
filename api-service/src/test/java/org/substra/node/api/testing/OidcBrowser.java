package org.substra.node.api.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

/** What a browser does in an OIDC login, over HTTP, with the provider's consent given at once. */
public final class OidcBrowser {

  private OidcBrowser() {}

  /** A login begun at {@code /oidc/authenticate/}, redirected to the provider. */
  public record Started(Response response, URI location, Map<String, String> query) {

    public String flowCookie() {
      return response.cookie("oidc_flow");
    }

    /** The callback the provider's redirect leads to, with {@code code} and this login's state. */
    public Response callback(String code) {
      return callback(Map.of("code", code, "state", query.get("state")));
    }

    public Response callback(Map<String, String> params) {
      return given()
          .redirects()
          .follow(false)
          .cookie("oidc_flow", flowCookie())
          .queryParams(params)
          .get("/oidc/callback/");
    }
  }

  public static Started start(String next) {
    RequestSpecification request = given().redirects().follow(false);
    if (next != null) {
      request.queryParam("next", next);
    }
    Response response = request.get("/oidc/authenticate/");
    response.then().statusCode(302);
    URI location = URI.create(response.header("Location"));
    return new Started(response, location, OidcProviderStandIn.form(location.getRawQuery()));
  }

  /** A whole login of a person at the stand-in: the callback's response (302 when it worked). */
  public static Response login(String subject, String email, String next) {
    Started started = start(next);
    String code = OidcProviderStandIn.current().authorize(started.location(), subject, email);
    return started.callback(code);
  }

  /** A request with the JWT cookies of a login's response (REST spec §2.6). */
  public static RequestSpecification as(Response login) {
    return given()
        .header("Authorization", "JWT " + login.cookie("header.payload"))
        .cookie("signature", login.cookie("signature"));
  }

  /** A subject and email address nobody used yet in this database. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
