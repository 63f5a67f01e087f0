package org.substra.node.api.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import org.substra.node.api.json.Dates;

/** The JSON shapes of tokens (REST spec §2.2–§2.5). */
final class TokenViews {

  private TokenViews() {}

  /** Just created: the only time the key itself is shown. */
  static Map<String, Object> created(Token token) {
    Map<String, Object> view = listed(token);
    view.put("token", token.key);
    return view;
  }

  static Map<String, Object> listed(Token token) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", token.id.toString());
    if (token.kind == Token.Kind.API) {
      view.put("note", token.note);
    }
    view.put("expires_at", Dates.format(token.expiresAt));
    view.put("created_at", Dates.format(token.createdAt));
    return view;
  }
}
