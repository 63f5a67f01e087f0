package org.substra.node.orglink.probes;

import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code ./manage.py get_outgoing_organization} prints (worker-spec §6.4): header first,
 * every cell centred in its column (odd padding: the extra space goes right, as Python's {@code
 * "{:^n}"}) with one space each side, cells joined by {@code |} and each row wrapped in {@code
 * |…|}, no separator line.
 */
public final class OutgoingTable {

  private static final List<String> HEADER = List.of("org_id", "org_address", "http_status");

  private OutgoingTable() {}

  public static String format(List<PeerState> states) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (PeerState state : states) {
      rows.add(List.of(state.organizationId(), state.address(), state.httpStatus()));
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      out.append('|');
      for (int i = 0; i < widths.length; i++) {
        out.append(' ').append(center(row.get(i), widths[i])).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String center(String value, int width) {
    int padding = width - value.length();
    int left = padding / 2;
    return " ".repeat(left) + value + " ".repeat(padding - left);
  }
}
