package org.substra.node.compute.executor.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DockerfilesTest {

  @Test
  void entrypointThenCmdTheLastOfEachWinning() throws Exception {
    String dockerfile =
        """
        FROM python:3.12
        # a comment
        ENTRYPOINT ["python3", "old.py"]
        entrypoint ["python3", "function.py", \\
            "--function-name", "train"]
        CMD ["--log-level", "debug"]
        """;
    assertThat(Dockerfiles.command(dockerfile))
        .containsExactly(
            "python3", "function.py", "--function-name", "train", "--log-level", "debug");
  }

  @Test
  void cmdAloneIsTheCommand() throws Exception {
    assertThat(Dockerfiles.command("FROM x\nCMD [\"./run\"]\n")).containsExactly("./run");
  }

  @Test
  void shellFormAndMissingCommandAreRefused() {
    assertThatThrownBy(() -> Dockerfiles.command("FROM x\nENTRYPOINT python3 f.py\n"))
        .isInstanceOf(Dockerfiles.InvalidDockerfile.class)
        .hasMessageContaining("exec form");
    assertThatThrownBy(() -> Dockerfiles.command("FROM x\n"))
        .isInstanceOf(Dockerfiles.InvalidDockerfile.class);
  }
}
