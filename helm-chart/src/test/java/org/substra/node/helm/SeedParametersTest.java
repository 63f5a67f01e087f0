package org.substra.node.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every parameter of the Substra backend chart exists in values.yaml with the same default. */
class SeedParametersTest {

  @Test
  void fixtureHoldsTheWholeSeedTable() {
    assertThat(SeedParameters.fixture()).hasSize(171);
  }

  @Test
  void fixtureMatchesTheSeedReadmeWhenItIsBesideTheRepository() {
    Path readme = Path.of(System.getProperty("seed.readme", "none"));
    Assumptions.assumeTrue(Files.isRegularFile(readme), "seed README not beside the repository");
    assertThat(SeedParameters.fromReadme(readme))
        .containsExactlyEntriesOf(SeedParameters.fixture());
  }

  @Test
  void everySeedParameterHasItsDefaultInValuesYaml() {
    Map<String, Object> values = Chart.defaultValues();
    List<String> problems = new ArrayList<>();
    SeedParameters.fixture()
        .forEach(
            (key, seedDefault) -> {
              if (!ValuesDoc.has(values, key)) {
                problems.add(key + ": missing");
              } else {
                String ours = ValuesDoc.format(ValuesDoc.valueAt(values, key));
                if (!ours.equals(seedDefault)) {
                  problems.add(key + ": default " + ours + ", seed " + seedDefault);
                }
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void everySeedParameterIsDocumented() {
    Set<String> documented =
        ValuesDoc.params(Chart.valuesYaml()).stream()
            .map(ValuesDoc.Param::key)
            .collect(Collectors.toSet());
    assertThat(documented).containsAll(SeedParameters.fixture().keySet());
  }

  @Test
  void linkingDocumentKeysExist() {
    Map<String, Object> values = Chart.defaultValues();
    assertThat(ValuesDoc.valueAt(values, "addAccountOperator.incomingOrganizations"))
        .isEqualTo(List.of());
    assertThat(ValuesDoc.valueAt(values, "addAccountOperator.outgoingOrganizations"))
        .isEqualTo(List.of());
  }
}
