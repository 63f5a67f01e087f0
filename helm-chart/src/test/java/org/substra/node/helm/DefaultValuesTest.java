package org.substra.node.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class DefaultValuesTest {

  @Test
  void lintsCleanly() {
    LintResult result = Chart.lint();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void renders() {
    Manifests manifests = Chart.render();
    System.out.println(manifests.text());
    assertThat(manifests.all()).isNotEmpty();
  }
}
