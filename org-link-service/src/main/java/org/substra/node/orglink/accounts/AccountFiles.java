package org.substra.node.orglink.accounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the account folder (the chart's mounted Secret). Both key sets of the chart are accepted:
 * {@code incoming_organizations} / {@code outgoing_organizations} and the older {@code
 * incoming_nodes} / {@code outgoing_nodes}; their entries are merged.
 */
public final class AccountFiles {

  public static final String USERS = "users";
  public static final List<String> INCOMING = List.of("incoming_organizations", "incoming_nodes");
  public static final List<String> OUTGOING = List.of("outgoing_organizations", "outgoing_nodes");

  /** The wanted state, and a fingerprint of the files it was read from. */
  public record Accounts(
      List<AccountEntry> users,
      List<AccountEntry> incoming,
      List<AccountEntry> outgoing,
      String fingerprint) {}

  private AccountFiles() {}

  /** A digest of every account file's content: cheap to compare on each poll. */
  public static String fingerprint(Path dir) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (String name : allNames()) {
      digest.update((name + "\0").getBytes(StandardCharsets.UTF_8));
      byte[] content = readOrNull(dir.resolve(name));
      digest.update(content == null ? new byte[] {1} : content);
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  public static Accounts read(Path dir) throws IOException, MalformedAccountEntryException {
    String fingerprint = fingerprint(dir);
    List<AccountEntry> users = merge(dir, List.of(USERS));
    List<AccountEntry> incoming = merge(dir, INCOMING);
    List<AccountEntry> outgoing = merge(dir, OUTGOING);
    for (AccountEntry entry : outgoing) {
      if (entry.third().isPresent() && !entry.third().get().matches("https?://\\S+")) {
        throw new MalformedAccountEntryException(
            "account entry "
                + entry
                + ": the third value of an outgoing organization must be its address (http:// or"
                + " https://)");
      }
    }
    return new Accounts(users, incoming, outgoing, fingerprint);
  }

  private static List<String> allNames() {
    List<String> names = new ArrayList<>();
    names.add(USERS);
    names.addAll(INCOMING);
    names.addAll(OUTGOING);
    return names;
  }

  /** The entries of several files; the same name twice must mean the same entry. */
  private static List<AccountEntry> merge(Path dir, List<String> fileNames)
      throws IOException, MalformedAccountEntryException {
    Map<String, AccountEntry> byName = new LinkedHashMap<>();
    for (String fileName : fileNames) {
      byte[] content = readOrNull(dir.resolve(fileName));
      if (content == null) {
        continue;
      }
      String[] lines = new String(content, StandardCharsets.UTF_8).split("\\R", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        AccountEntry entry = parse(fileName + " line " + (i + 1), line);
        AccountEntry previous = byName.putIfAbsent(entry.name(), entry);
        if (previous != null
            && !(previous.secret().equals(entry.secret())
                && previous.third().equals(entry.third()))) {
          throw new MalformedAccountEntryException(
              "account entry " + entry + " conflicts with " + previous);
        }
      }
    }
    return List.copyOf(byName.values());
  }

  static AccountEntry parse(String source, String line) throws MalformedAccountEntryException {
    String[] tokens = line.split("\\s+");
    if (tokens.length < 2 || tokens.length > 3) {
      throw new MalformedAccountEntryException(
          "account entry '"
              + tokens[0]
              + "' ("
              + source
              + ") is malformed: expected '<name> <secret>[ <channel or address>]', got "
              + tokens.length
              + " value(s)");
    }
    return new AccountEntry(
        source,
        tokens[0],
        tokens[1],
        tokens.length == 3 ? Optional.of(tokens[2]) : Optional.empty());
  }

  private static byte[] readOrNull(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
