package org.substra.node.api.user;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.substra.node.api.auth.AuthenticatedUser;
import org.substra.node.api.error.ApiException;
import org.substra.node.api.listing.Listing;
import org.substra.node.api.registration.RequestJson;

/**
 * The users of the caller's channel (REST spec §2.9, UI): admins create, change the role of and
 * delete them, and admit the users awaiting approval; everyone changes their own password.
 */
@ApplicationScoped
public class UserAdministration {

  private static final Set<String> ROLES = Set.of("ADMIN", "USER");

  private final UserRepository users;
  private final PasswordResetRepository resets;

  UserAdministration(UserRepository users, PasswordResetRepository resets) {
    this.users = users;
    this.resets = resets;
  }

  @WithSession
  public Uni<Map<String, Object>> list(AuthenticatedUser caller, Listing listing) {
    StringBuilder query = new StringBuilder("channel = :channel");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("channel", caller.channel());
    String role = listing.last("role");
    if (role != null && !role.isEmpty()) {
      query.append(" and role = :role");
      params.put("role", role);
    }
    return page(query, params, listing, UserAdministration::view);
  }

  /**
   * The users who logged in without a channel and wait for an admin to give them one (REST spec
   * §2.9, {@code /users-awaiting-approval/}).
   */
  @WithSession
  public Uni<Map<String, Object>> awaitingApproval(AuthenticatedUser caller, Listing listing) {
    requireAdmin(caller);
    return page(
        new StringBuilder("channel is null"),
        new LinkedHashMap<>(),
        listing,
        UserAdministration::awaitingView);
  }

  /** Gives a user awaiting approval the caller's channel and a role. */
  @WithTransaction
  public Uni<Map<String, Object>> approve(AuthenticatedUser caller, String username, String body) {
    requireAdmin(caller);
    RequestJson request = RequestJson.parse(body, "the request body");
    if (request.node().path("role").isMissingNode() || request.node().path("role").isNull()) {
      throw ApiException.field(400, "role", "This field is required.");
    }
    String role = role(request);
    return awaiting(username)
        .map(
            user -> {
              user.channel = caller.channel();
              user.role = role;
              return view(user);
            });
  }

  /** Deletes a user awaiting approval. */
  @WithTransaction
  public Uni<Void> reject(AuthenticatedUser caller, String username) {
    requireAdmin(caller);
    return awaiting(username).chain(users::deleteRow);
  }

  private Uni<User> awaiting(String username) {
    if (username == null || username.isEmpty()) {
      throw ApiException.field(400, "username", "This query parameter is required.");
    }
    return users
        .findByUsername(username)
        .map(
            user -> {
              // Users of a channel are managed through /users/, by that channel's admins only.
              if (user == null || user.channel != null) {
                throw ApiException.detail(404, "User not found");
              }
              return user;
            });
  }

  private Uni<Map<String, Object>> page(
      StringBuilder query,
      Map<String, Object> params,
      Listing listing,
      java.util.function.Function<User, Map<String, Object>> view) {
    String match = listing.last("match");
    if (match != null && !match.isEmpty()) {
      query.append(" and lower(username) like :match");
      params.put("match", "%" + match.toLowerCase() + "%");
    }
    Sort sort =
        "-username".equals(listing.last("ordering"))
            ? Sort.descending("username")
            : Sort.ascending("username");
    var found = users.find(query.toString(), sort, params);
    return found
        .count()
        .chain(
            count ->
                found
                    .page(Page.of((int) (listing.offset() / listing.limit()), listing.limit()))
                    .list()
                    .map(
                        page -> {
                          List<Map<String, Object>> results = new ArrayList<>();
                          page.forEach(user -> results.add(view.apply(user)));
                          return listing.envelope(count, results);
                        }));
  }

  @WithSession
  public Uni<Map<String, Object>> get(AuthenticatedUser caller, String username) {
    return inChannel(caller, username).map(UserAdministration::view);
  }

  @WithTransaction
  public Uni<Map<String, Object>> create(AuthenticatedUser caller, String body) {
    requireAdmin(caller);
    RequestJson request = RequestJson.parse(body, "the request body");
    String username = request.text("username", "");
    String password = request.text("password", "");
    if (username.isEmpty() || username.length() > 150) {
      throw ApiException.field(400, "username", "A username of 1 to 150 characters is required.");
    }
    requirePassword(password);
    String role = role(request);
    return users
        .findByUsername(username)
        .chain(
            existing -> {
              if (existing != null) {
                throw ApiException.field(
                    400, "username", "A user with that username already exists.");
              }
              User user = new User();
              user.username = username;
              user.passwordHash = BcryptUtil.bcryptHash(password);
              user.role = role;
              user.channel = caller.channel();
              return users.persist(user).map(UserAdministration::view);
            });
  }

  @WithTransaction
  public Uni<Map<String, Object>> changeRole(
      AuthenticatedUser caller, String username, String body) {
    requireAdmin(caller);
    String role = role(RequestJson.parse(body, "the request body"));
    return inChannel(caller, username)
        .map(
            user -> {
              user.role = role;
              return view(user);
            });
  }

  @WithTransaction
  public Uni<Void> delete(AuthenticatedUser caller, String username) {
    requireAdmin(caller);
    if (caller.username().equals(username)) {
      throw ApiException.detail(400, "You cannot delete your own user.");
    }
    return inChannel(caller, username).chain(users::deleteRow);
  }

  @WithTransaction
  public Uni<Void> changePassword(AuthenticatedUser caller, String username, String body) {
    if (!caller.username().equals(username)) {
      throw ApiException.detail(403, "You can only change your own password.");
    }
    JsonNode request = RequestJson.parse(body, "the request body").node();
    String password = request.path("password").asText("");
    requirePassword(password);
    return inChannel(caller, username)
        .invoke(user -> user.passwordHash = BcryptUtil.bcryptHash(password))
        // A reset handed out before must not undo the password the user just chose.
        .chain(user -> resets.forget(user.id))
        .replaceWithVoid();
  }

  static void requirePassword(String password) {
    if (password == null || password.length() < 8) {
      throw ApiException.field(400, "password", "A password of at least 8 characters is required.");
    }
  }

  Uni<User> inChannel(AuthenticatedUser caller, String username) {
    return users
        .findByUsername(username)
        .map(
            user -> {
              if (user == null
                  || caller.channel() == null
                  || !caller.channel().equals(user.channel)) {
                throw ApiException.detail(404, "No User matches the given query.");
              }
              return user;
            });
  }

  private static String role(RequestJson request) {
    String role = request.text("role", "USER");
    if (!ROLES.contains(role)) {
      throw ApiException.field(400, "role", "\"" + role + "\" is not a valid choice.");
    }
    return role;
  }

  /** An admin of a channel: a user awaiting approval has the ADMIN role but no channel yet. */
  static void requireAdmin(AuthenticatedUser caller) {
    if (!"ADMIN".equals(caller.role()) || caller.channel() == null) {
      throw ApiException.detail(403, "You do not have permission to perform this action.");
    }
  }

  private static Map<String, Object> awaitingView(User user) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("username", user.username);
    view.put("is_external_user", user.externalUser);
    return view;
  }

  static Map<String, Object> view(User user) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("username", user.username);
    view.put("channel", user.channel);
    view.put("role", user.role);
    view.put("is_external_user", user.externalUser);
    return view;
  }
}
